using System;
using System.Collections.Generic;
using System.Linq;
using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace AuroraSecurity.Completion
{
    /// <summary>What tab completion offers for names the module knows without asking AWS: engine versions, families, regions, profiles.</summary>
    public static class CompletionSources
    {
        /// <summary>Aurora MySQL versions at the boundaries the guide's cipher table draws, and current releases of each major version.</summary>
        public static IReadOnlyList<string> EngineVersions { get; } = new[]
        {
            "8.0.mysql_aurora.3.01.0", "8.0.mysql_aurora.3.02.0", "8.0.mysql_aurora.3.03.0", "8.0.mysql_aurora.3.04.0",
            "8.0.mysql_aurora.3.05.2", "8.0.mysql_aurora.3.06.0", "8.0.mysql_aurora.3.07.0", "8.0.mysql_aurora.3.08.0",
            "5.7.mysql_aurora.2.09.3", "5.7.mysql_aurora.2.10.2", "5.7.mysql_aurora.2.10.3", "5.7.mysql_aurora.2.11.0",
            "5.7.mysql_aurora.2.11.2", "5.7.mysql_aurora.2.12.0",
        };

        /// <summary>The DB parameter group families of Aurora MySQL.</summary>
        public static IReadOnlyList<string> Families { get; } = new[] { "aurora-mysql8.0", "aurora-mysql5.7", "aurora5.6" };

        /// <summary>Every region the AWS SDK knows, commercial, China and GovCloud.</summary>
        public static IReadOnlyList<string> Regions()
        {
            return RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToList();
        }

        /// <summary>The profile names in the shared credentials and config files (or the given file) and the SDK store; never throws.</summary>
        public static IReadOnlyList<string> ProfileNames(string? profileLocation)
        {
            try
            {
                var chain = string.IsNullOrWhiteSpace(profileLocation) ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(profileLocation);
                return chain.ListProfiles().Select(p => p.Name).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return new string[0];
            }
        }
    }
}
