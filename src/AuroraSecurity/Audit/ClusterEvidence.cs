using System;
using System.Collections.Generic;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Audit
{
    /// <summary>What the runner read from RDS about one cluster; a part that could not be read carries the failure instead.</summary>
    public sealed partial class ClusterEvidence
    {
        public ClusterEvidence(AuroraCluster cluster, DateTime now)
        {
            Cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
            Now = now;
        }

        public AuroraCluster Cluster { get; }

        /// <summary>The moment (UTC) certificate expiry is measured from.</summary>
        public DateTime Now { get; }

        /// <summary>The thresholds the checks apply to this cluster (the baseline's, or the defaults).</summary>
        public AuditSettings Settings { get; set; } = AuditSettings.Default;

        public AuroraTlsConfig? TlsConfig { get; set; }

        public AuroraSecurityException? TlsConfigError { get; set; }

        public IReadOnlyList<RdsDbInstance>? Instances { get; set; }

        public AuroraSecurityException? InstancesError { get; set; }
    }
}
