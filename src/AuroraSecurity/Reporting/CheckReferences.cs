using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Reporting
{
    /// <summary>The published controls a check matches (Security Hub FSBP, CIS AWS Foundations, Prowler), as the catalogue names them.</summary>
    internal static class CheckReferences
    {
        /// <summary>One entry per reference, in the catalogue's order ("FSBP RDS.7", "CIS v3.0.0 2.3.1", "Prowler rds_cluster_deletion_protection").</summary>
        public static IReadOnlyList<string> Of(SecurityCheck check) => check.References.Select(r => r.ToString()).ToList();
    }
}
