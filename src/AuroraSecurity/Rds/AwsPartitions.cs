using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>The AWS partitions and which one a region belongs to (by its name prefix, as the SDKs' partition data has it).</summary>
    public static class AwsPartitions
    {
        // Longest prefixes first, so us-isob- is not taken for us-iso-.
        private static readonly (string Prefix, string Partition)[] ByPrefix =
        {
            ("us-isob-", "aws-iso-b"),
            ("us-isof-", "aws-iso-f"),
            ("eu-isoe-", "aws-iso-e"),
            ("us-iso-", "aws-iso"),
            ("us-gov-", "aws-us-gov"),
            ("eusc-", "aws-eusc"),
            ("cn-", "aws-cn"),
        };

        /// <summary>Every partition name an ARN may carry.</summary>
        public static IReadOnlyList<string> Known { get; } = new[] { "aws" }.Concat(ByPrefix.Select(p => p.Partition)).Distinct().ToArray();

        public static bool IsKnown(string? partition) => partition != null && Known.Contains(partition, StringComparer.Ordinal);

        /// <summary>The partition of a region: aws-cn for cn-north-1, aws-us-gov for us-gov-west-1, aws otherwise.</summary>
        public static string OfRegion(string region)
        {
            if (region == null) throw new ArgumentNullException(nameof(region));
            foreach (var (prefix, partition) in ByPrefix)
            {
                if (region.StartsWith(prefix, StringComparison.Ordinal)) return partition;
            }

            return "aws";
        }
    }
}
