using System;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Secrets
{
    /// <summary>A Secrets Manager secret ARN (arn:&lt;partition&gt;:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:&lt;name&gt;-&lt;6 characters&gt;).</summary>
    public sealed class SecretArn
    {
        private SecretArn(string text, string partition, string region, string accountId, string name)
        {
            Text = text;
            Partition = partition;
            Region = region;
            AccountId = accountId;
            Name = name;
        }

        public string Text { get; }

        public string Partition { get; }

        public string Region { get; }

        public string AccountId { get; }

        /// <summary>The resource part after "secret:" (the name with Secrets Manager's random suffix).</summary>
        public string Name { get; }

        public static bool LooksLikeArn(string? text) => (text ?? string.Empty).TrimStart().StartsWith("arn:", StringComparison.OrdinalIgnoreCase);

        /// <summary>The ARN's parts, or null when <paramref name="text"/> is not a secret ARN of a known partition.</summary>
        public static SecretArn? TryParse(string? text)
        {
            var trimmed = (text ?? string.Empty).Trim();
            // arn : partition : secretsmanager : region : account : secret : name (a name holds no colon).
            var parts = trimmed.Split(':');
            if (parts.Length != 7 || parts[0] != "arn" || parts[2] != SecretsManagerClient.ServiceName || parts[5] != "secret") return null;
            if (!AwsPartitions.IsKnown(parts[1]) || parts[4].Length != 12 || parts[6].Length == 0) return null;
            foreach (var c in parts[4])
            {
                if (c < '0' || c > '9') return null;
            }

            try
            {
                RdsEndpoint.ValidateRegion(parts[3]);
            }
            catch (ArgumentException)
            {
                return null;
            }

            if (AwsPartitions.OfRegion(parts[3]) != parts[1]) return null;
            return new SecretArn(trimmed, parts[1], parts[3], parts[4], parts[6]);
        }

        /// <summary>The refusal of an ARN that is not a secret's.</summary>
        public static AuroraSecurityException Invalid(string text) =>
            new AuroraSecurityException("SecretArnInvalid", FailureKind.InvalidArgument,
                $"'{EchoedInput.Shorten(text)}' is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>); nothing was read.");

        public override string ToString() => Text;
    }
}
