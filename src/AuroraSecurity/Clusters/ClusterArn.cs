using System;
using System.Linq;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>A DB cluster ARN (arn:&lt;partition&gt;:rds:&lt;region&gt;:&lt;account&gt;:cluster:&lt;identifier&gt;): it names exactly one cluster in one account and region.</summary>
    public sealed class ClusterArn
    {
        private const string Shape = "arn:<partition>:rds:<region>:<account>:cluster:<identifier>";

        private ClusterArn(string text, string partition, string region, string accountId, string identifier)
        {
            Text = text;
            Partition = partition;
            Region = region;
            AccountId = accountId;
            Identifier = identifier;
        }

        /// <summary>The ARN as given (trimmed).</summary>
        public string Text { get; }

        /// <summary>aws, aws-cn, aws-us-gov, …</summary>
        public string Partition { get; }

        public string Region { get; }

        /// <summary>The 12-digit account that owns the cluster.</summary>
        public string AccountId { get; }

        public string Identifier { get; }

        /// <summary>The refusal when a request's region contradicts this ARN's; <paramref name="contradiction"/> says what the request gave.</summary>
        public AuroraSecurityException RegionMismatch(string contradiction) =>
            new AuroraSecurityException("ClusterArnRegionMismatch", FailureKind.InvalidArgument,
                $"'{EchoedInput.Shorten(Text)}' names a cluster in {Region}, but {contradiction}; nothing was read or changed. " +
                $"Leave out -Region (the ARN's region is used), or give -Region {Region}.");

        /// <summary>True when the text is meant as an ARN (starts with "arn:"), valid or not.</summary>
        public static bool LooksLikeArn(string? text) => (text ?? string.Empty).TrimStart().StartsWith("arn:", StringComparison.OrdinalIgnoreCase);

        /// <summary>Parses a DB cluster ARN; anything else, or an ARN whose partition does not fit its region, is refused.</summary>
        public static ClusterArn Parse(string text)
        {
            var trimmed = (text ?? string.Empty).Trim();
            var shown = EchoedInput.Shorten(trimmed);
            // arn : partition : service : region : account : resource-type : identifier (identifiers hold no colon).
            var parts = trimmed.Split(':');
            if (parts.Length != 7 || !string.Equals(parts[0], "arn", StringComparison.Ordinal))
            {
                throw Invalid(shown, "it does not have the form " + Shape + ".");
            }

            var partition = parts[1];
            var service = parts[2];
            var region = parts[3];
            var account = parts[4];
            var resourceType = parts[5];
            var identifier = parts[6];
            if (!string.Equals(service, "rds", StringComparison.Ordinal) || !string.Equals(resourceType, "cluster", StringComparison.Ordinal))
            {
                throw Invalid(shown, "it names '" + EchoedInput.Shorten(service + ":" + resourceType, 40) + "', not an RDS DB cluster (" + Shape + ").");
            }

            if (!AwsPartitions.IsKnown(partition))
            {
                throw Invalid(shown, "partition '" + EchoedInput.Shorten(partition, 40) + "' is not an AWS partition (" + string.Join(", ", AwsPartitions.Known) + ").");
            }

            if (!IsRegionName(region))
            {
                throw Invalid(shown, "'" + EchoedInput.Shorten(region, 40) + "' is not an AWS region name.");
            }

            var expectedPartition = AwsPartitions.OfRegion(region);
            if (!string.Equals(expectedPartition, partition, StringComparison.Ordinal))
            {
                throw Invalid(shown, "region " + region + " belongs to partition '" + expectedPartition + "', not '" + partition + "'.");
            }

            if (account.Length != 12 || !account.All(c => c >= '0' && c <= '9'))
            {
                throw Invalid(shown, "the account '" + EchoedInput.Shorten(account, 40) + "' is not a 12-digit AWS account id.");
            }

            if (identifier.Length == 0)
            {
                throw Invalid(shown, "it names no cluster identifier.");
            }

            return new ClusterArn(trimmed, partition, region, account, identifier);
        }

        /// <summary>Like <see cref="Parse"/>, but null for text that does not parse.</summary>
        public static ClusterArn? TryParse(string? text)
        {
            if (!LooksLikeArn(text)) return null;
            try
            {
                return Parse(text!);
            }
            catch (AuroraSecurityException)
            {
                return null;
            }
        }

        public override string ToString() => Text;

        private static bool IsRegionName(string region) =>
            region.Length > 0 && region.IndexOf('-') > 0 && region.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');

        private static AuroraSecurityException Invalid(string shown, string why) =>
            new AuroraSecurityException("ClusterArnInvalid", FailureKind.InvalidArgument, $"'{shown}' is not a usable DB cluster ARN: {why}");
    }
}
