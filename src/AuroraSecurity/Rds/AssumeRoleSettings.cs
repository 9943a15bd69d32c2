using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace AuroraSecurity.Rds
{
    /// <summary>What to ask STS for: the role, and the external id, session name, duration and MFA device its trust policy may require.</summary>
    public sealed class AssumeRoleSettings
    {
        public const string DefaultSessionName = "AuroraSecurity";
        private static readonly Regex RoleArnShape = new Regex(@"^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant);
        private static readonly Regex SessionNameShape = new Regex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant);

        public AssumeRoleSettings(string roleArn)
        {
            var text = (roleArn ?? string.Empty).Trim();
            var match = RoleArnShape.Match(text);
            if (!match.Success)
            {
                throw InvalidRoleArn(text);
            }

            RoleArn = text;
            Partition = match.Groups[1].Value;
            AccountId = match.Groups[2].Value;
        }

        /// <summary>The one failure for a value that is not an IAM role ARN.</summary>
        public static AuroraSecurityException InvalidRoleArn(string text) =>
            new AuroraSecurityException("RoleArnInvalid", FailureKind.InvalidArgument,
                $"'{EchoedInput.Shorten(text ?? string.Empty)}' is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).");

        public string RoleArn { get; }

        /// <summary>The account the role belongs to (and every object read with it).</summary>
        public string AccountId { get; }

        public string Partition { get; }

        public string? ExternalId { get; set; }

        private string _sessionName = DefaultSessionName;

        public string RoleSessionName
        {
            get => _sessionName;
            set
            {
                var text = string.IsNullOrWhiteSpace(value) ? DefaultSessionName : value.Trim();
                if (!SessionNameShape.IsMatch(text))
                {
                    throw new AuroraSecurityException("RoleSessionNameInvalid", FailureKind.InvalidArgument,
                        $"'{EchoedInput.Shorten(text)}' is not a role session name: use 2 to 64 letters, digits and the characters + = , . @ - _.");
                }

                _sessionName = text;
            }
        }

        /// <summary>Seconds the credentials last (900 to 43200); null lets STS choose (one hour).</summary>
        public int? DurationSeconds { get; set; }

        /// <summary>The MFA device the role's trust policy requires (mfa_serial).</summary>
        public string? MfaSerial { get; set; }

        /// <summary>Supplies a current MFA code for <see cref="MfaSerial"/>; null when this host cannot ask for one.</summary>
        public Func<string, string?>? MfaTokenCode { get; set; }

        /// <summary>Where the settings came from, for messages ("-RoleArn", "profile 'auditor'").</summary>
        public string Origin { get; set; } = "-RoleArn";

        public void Validate()
        {
            if (DurationSeconds.HasValue && (DurationSeconds < 900 || DurationSeconds > 43200))
            {
                throw new AuroraSecurityException("RoleDurationInvalid", FailureKind.InvalidArgument,
                    $"duration_seconds {DurationSeconds} ({Origin}) is outside 900 to 43200 seconds, the range STS accepts.");
            }

            if (ExternalId != null && (ExternalId.Length < 2 || ExternalId.Length > 1224 || ExternalId.Any(char.IsControl)))
            {
                throw new AuroraSecurityException("ExternalIdInvalid", FailureKind.InvalidArgument, $"The external id ({Origin}) must be 2 to 1224 printable characters.");
            }
        }
    }
}
