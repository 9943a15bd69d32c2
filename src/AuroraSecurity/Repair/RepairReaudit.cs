using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Repair
{
    /// <summary>Audits the repaired checks of the repaired clusters again, so a repair ends with each finding's status after the fix.</summary>
    public static class RepairReaudit
    {
        /// <summary>
        /// The findings of <paramref name="checksByCluster"/> (cluster → check ids), cluster by cluster in the order given, checks in catalogue
        /// order; a cluster that cannot be read is a failure. Ids the catalogue does not know are left out.
        /// </summary>
        public static async Task<IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>>> RunAsync(SecurityAuditRunner runner, IReadOnlyList<KeyValuePair<string, IReadOnlyCollection<string>>> checksByCluster,
            AuditOptions options, CancellationToken cancellationToken)
        {
            if (runner == null) throw new ArgumentNullException(nameof(runner));
            if (checksByCluster == null) throw new ArgumentNullException(nameof(checksByCluster));
            if (checksByCluster.Count == 0) return new List<ClusterOutcome<IReadOnlyList<Finding>>>();
            var ids = checksByCluster.Select(c => c.Key).ToList();
            var wanted = checksByCluster.SelectMany(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var checks = SecurityCheckCatalog.All.Where(c => wanted.Contains(c.Id, StringComparer.OrdinalIgnoreCase)).ToList();
            var outcomes = await runner.RunAsync(ids, checks, options ?? new AuditOptions(), cancellationToken).ConfigureAwait(false);
            return outcomes.Select(o =>
            {
                if (!o.Succeeded) return o;
                var mine = checksByCluster.FirstOrDefault(c => string.Equals(c.Key, o.Identifier, StringComparison.OrdinalIgnoreCase)).Value ?? wanted;
                IReadOnlyList<Finding> kept = o.Value!.Where(f => mine.Contains(f.CheckId, StringComparer.OrdinalIgnoreCase)).ToList();
                return ClusterOutcome<IReadOnlyList<Finding>>.Success(o.Identifier, kept);
            }).ToList();
        }
    }
}
