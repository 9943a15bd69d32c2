using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Reporting
{
    /// <summary>What a report says about the run it shows: when, which regions, which module version, which checks.</summary>
    public sealed class ReportRun
    {
        public ReportRun(IReadOnlyList<Finding> findings, DateTime generatedAt, string moduleVersion, string? title = null)
        {
            Findings = findings ?? throw new ArgumentNullException(nameof(findings));
            GeneratedAt = generatedAt.ToUniversalTime();
            ModuleVersion = string.IsNullOrWhiteSpace(moduleVersion) ? "unknown" : moduleVersion;
            Title = string.IsNullOrWhiteSpace(title) ? "Aurora MySQL security report" : title!;
            Regions = findings.Select(f => f.Region).Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToList();
            Checks = findings.GroupBy(f => f.CheckId, StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, string>(g.Key, g.First().Title))
                .OrderBy(c => CatalogueOrder(c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal)
                .ToList();
            Clusters = findings.Select(f => f.ClusterIdentifier).Distinct(StringComparer.Ordinal).Count();
            var times = findings.Select(f => f.Timestamp).Where(t => t != default).ToList();
            AuditedAt = times.Count == 0 ? (DateTime?)null : times.Min().UtcDateTime;
        }

        public IReadOnlyList<Finding> Findings { get; }

        public string Title { get; }

        /// <summary>When the report was written (UTC).</summary>
        public DateTime GeneratedAt { get; }

        /// <summary>When the earliest finding was evaluated (UTC); null when no finding says.</summary>
        public DateTime? AuditedAt { get; }

        public string ModuleVersion { get; }

        public IReadOnlyList<string> Regions { get; }

        /// <summary>The checks that ran (id and title), in catalogue order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Checks { get; }

        public int Clusters { get; }

        /// <summary>The order reports list statuses in: what needs action first.</summary>
        public static IReadOnlyList<FindingStatus> StatusOrder { get; } = Enum.GetValues(typeof(FindingStatus)).Cast<FindingStatus>()
            .OrderBy(StatusRank).ToList();

        /// <summary>Rank of a status in <see cref="StatusOrder"/>: Fail, Error, Warning, then anything set aside, NotApplicable, Pass.</summary>
        public static int StatusRank(FindingStatus status)
        {
            switch (status)
            {
                case FindingStatus.Fail: return 0;
                case FindingStatus.Error: return 1;
                case FindingStatus.Warning: return 2;
                case FindingStatus.NotApplicable: return 8;
                case FindingStatus.Pass: return 9;
                default: return 5;
            }
        }

        private static int CatalogueOrder(string checkId)
        {
            var all = SecurityCheckCatalog.All;
            for (var i = 0; i < all.Count; i++)
            {
                if (string.Equals(all[i].Id, checkId, StringComparison.OrdinalIgnoreCase)) return i;
            }

            return int.MaxValue;
        }
    }
}
