using System;

namespace AuroraSecurity.Guide
{
    /// <summary>The RDS CA bundle clients of a region verify Aurora's server certificates against, and where AWS publishes it.</summary>
    public sealed class CaBundle
    {
        private CaBundle(string partition, string fileName, string url, string regionalUrl, string note)
        {
            Partition = partition;
            FileName = fileName;
            Url = url;
            RegionalUrl = regionalUrl;
            Note = note;
        }

        /// <summary>aws, aws-cn or aws-us-gov.</summary>
        public string Partition { get; }

        /// <summary>The file name the download has (global-bundle.pem, or the region's bundle where that is the documented one).</summary>
        public string FileName { get; }

        /// <summary>Where to download the bundle this guide recommends.</summary>
        public string Url { get; }

        /// <summary>The bundle with only the region's CAs, for clients that want the smallest trust list.</summary>
        public string RegionalUrl { get; }

        /// <summary>Why this bundle, in one sentence.</summary>
        public string Note { get; }

        /// <summary>The bundle for a region; the commercial global bundle when the region is unknown.</summary>
        public static CaBundle For(string? region)
        {
            var r = (region ?? string.Empty).Trim().ToLowerInvariant();
            if (r.StartsWith("cn-", StringComparison.Ordinal))
            {
                const string china = "https://rds-truststore.s3.cn-north-1.amazonaws.com.cn";
                return new CaBundle("aws-cn", r + "-bundle.pem", $"{china}/{r}/{r}-bundle.pem", $"{china}/{r}/{r}-bundle.pem",
                    $"China regions have CAs of their own: use the {r} bundle from the Amazon Web Services China documentation (the commercial global bundle does not verify them).");
            }

            if (r.StartsWith("us-gov-", StringComparison.Ordinal))
            {
                const string gov = "https://truststore.pki.us-gov-west-1.rds.amazonaws.com";
                return new CaBundle("aws-us-gov", "global-bundle.pem", gov + "/global/global-bundle.pem", $"{gov}/{r}/{r}-bundle.pem",
                    "AWS GovCloud (US) regions have CAs of their own: use the GovCloud global bundle (the commercial global bundle does not verify them).");
            }

            const string commercial = "https://truststore.pki.rds.amazonaws.com";
            var regional = r.Length == 0 ? commercial + "/<region>/<region>-bundle.pem" : $"{commercial}/{r}/{r}-bundle.pem";
            return new CaBundle("aws", "global-bundle.pem", commercial + "/global/global-bundle.pem", regional,
                r.Length == 0
                    ? "The region is unknown: the commercial global bundle verifies every commercial region (China and GovCloud regions have bundles of their own)."
                    : "The global bundle holds the root and intermediate certificates of every commercial region's RDS CAs (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1).");
        }

        public override string ToString() => Url;
    }
}
