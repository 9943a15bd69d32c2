using System;

namespace AuroraSecurity.Rds
{
    /// <summary>What the caller said about AWS credentials, region and endpoint (the AWS.Tools common parameters plus session variables).</summary>
    public sealed class AwsContextRequest
    {
        public string? AccessKey { get; set; }
        public string? SecretKey { get; set; }
        public string? SessionToken { get; set; }
        public string? ProfileName { get; set; }
        public string? ProfileLocation { get; set; }

        /// <summary>An AWSCredentials object of any AWSSDK.Core version (read by reflection).</summary>
        public object? Credential { get; set; }

        /// <summary>The value of $StoredAWSCredentials: a credentials object, a wrapper holding one, or a profile name.</summary>
        public object? StoredCredentials { get; set; }

        public string? Region { get; set; }

        /// <summary>The value of $StoredAWSRegion: a region name or a RegionEndpoint of any version.</summary>
        public object? StoredRegion { get; set; }

        public string? EndpointUrl { get; set; }

        /// <summary>A role to assume with the credentials found (-RoleArn), with its -ExternalId and -RoleSessionName.</summary>
        public string? RoleArn { get; set; }

        public string? ExternalId { get; set; }

        public string? RoleSessionName { get; set; }

        /// <summary>Asks the user for an MFA code (serial in, code out); null where the host cannot ask.</summary>
        public Func<string, string?>? MfaTokenCode { get; set; }

        public override string ToString() =>
            "AwsContextRequest(ProfileName=" + ProfileName + ", Region=" + Region + ", AccessKey=" + (string.IsNullOrEmpty(AccessKey) ? "" : AwsCredentialSet.Mask(AccessKey!)) + ")";
    }
}
