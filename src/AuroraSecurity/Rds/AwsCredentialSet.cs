using System;

namespace AuroraSecurity.Rds
{
    /// <summary>An immutable AWS access key pair with an optional session token; never prints its secrets.</summary>
    public sealed class AwsCredentialSet
    {
        public AwsCredentialSet(string accessKey, string secretKey, string? sessionToken = null)
        {
            if (string.IsNullOrWhiteSpace(accessKey)) throw new ArgumentException("An AWS access key is required.", nameof(accessKey));
            if (string.IsNullOrWhiteSpace(secretKey)) throw new ArgumentException("An AWS secret key is required.", nameof(secretKey));
            AccessKey = accessKey.Trim();
            SecretKey = secretKey.Trim();
            SessionToken = string.IsNullOrWhiteSpace(sessionToken) ? null : sessionToken!.Trim();
        }

        public string AccessKey { get; }

        public string SecretKey { get; }

        public string? SessionToken { get; }

        public bool HasSessionToken => SessionToken != null;

        // The access key id is not a secret but still identifies an account; show only its tail.
        public string MaskedAccessKey => Mask(AccessKey);

        public override string ToString() =>
            "AwsCredentialSet(AccessKey=" + MaskedAccessKey + ", SecretKey=****" + (HasSessionToken ? ", SessionToken=****" : string.Empty) + ")";

        internal static string Mask(string accessKey) =>
            accessKey.Length <= 4 ? "****" : "****" + accessKey.Substring(accessKey.Length - 4);
    }
}
