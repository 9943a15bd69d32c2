using System;

namespace AuroraSecurity.Reporting
{
    /// <summary>The AWS partition of a region or an ARN: aws, aws-cn (China), aws-us-gov (GovCloud) and the isolated ones.</summary>
    public static class AwsPartition
    {
        /// <summary>The partition a region belongs to ("cn-north-1" → aws-cn, "us-gov-west-1" → aws-us-gov).</summary>
        public static string OfRegion(string? region)
        {
            var r = (region ?? string.Empty).Trim().ToLowerInvariant();
            if (r.StartsWith("cn-", StringComparison.Ordinal)) return "aws-cn";
            if (r.StartsWith("us-gov-", StringComparison.Ordinal)) return "aws-us-gov";
            if (r.StartsWith("us-isob-", StringComparison.Ordinal)) return "aws-iso-b";
            if (r.StartsWith("us-iso-", StringComparison.Ordinal)) return "aws-iso";
            if (r.StartsWith("eu-isoe-", StringComparison.Ordinal)) return "aws-iso-e";
            if (r.StartsWith("us-isof-", StringComparison.Ordinal)) return "aws-iso-f";
            return "aws";
        }
    }

    /// <summary>The parts of an ARN (arn:partition:service:region:account:resource).</summary>
    public sealed class AwsArn
    {
        private AwsArn(string partition, string service, string region, string account, string resource)
        {
            Partition = partition;
            Service = service;
            Region = region;
            Account = account;
            Resource = resource;
        }

        public string Partition { get; }

        public string Service { get; }

        public string Region { get; }

        public string Account { get; }

        public string Resource { get; }

        /// <summary>Parses an ARN; null when the text is not one.</summary>
        public static AwsArn? TryParse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var parts = text!.Trim().Split(new[] { ':' }, 6);
            if (parts.Length != 6 || parts[0] != "arn" || parts[1].Length == 0 || parts[2].Length == 0) return null;
            return new AwsArn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        }

        public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
    }
}
