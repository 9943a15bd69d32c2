using System;
using System.Collections.Generic;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Audit
{
    /// <summary>What the runner read about one cluster; a part that could not be read carries the failure instead.</summary>
    public sealed partial class ClusterEvidence
    {
        public ClusterEvidence(AuroraCluster cluster, DateTime now, AuditSettings? settings = null)
        {
            Cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
            Now = now;
            Settings = settings ?? AuditSettings.Default;
        }

        public AuroraCluster Cluster { get; }

        /// <summary>The moment (UTC) certificate expiry and support dates are measured from.</summary>
        public DateTime Now { get; }

        /// <summary>The thresholds the checks apply to this cluster (the baseline's, or the defaults).</summary>
        public AuditSettings Settings { get; set; } = AuditSettings.Default;

        public AuroraTlsConfig? TlsConfig { get; set; }

        public AuroraSecurityException? TlsConfigError { get; set; }

        public IReadOnlyList<RdsDbInstance>? Instances { get; set; }

        public AuroraSecurityException? InstancesError { get; set; }

        /// <summary>Every parameter of the cluster parameter group.</summary>
        public IReadOnlyList<RdsParameter>? ClusterParameters { get; set; }

        public AuroraSecurityException? ClusterParametersError { get; set; }

        /// <summary>The cluster's VPC security groups that EC2 returned (a group missing here does not exist or is not visible).</summary>
        public IReadOnlyList<Ec2SecurityGroup>? SecurityGroups { get; set; }

        public AuroraSecurityException? SecurityGroupsError { get; set; }

        /// <summary>The cluster's manual snapshots, each with its attributes or why they could not be read.</summary>
        public IReadOnlyList<SnapshotEvidence>? Snapshots { get; set; }

        public AuroraSecurityException? SnapshotsError { get; set; }

        /// <summary>The RDS Proxies whose targets include the cluster.</summary>
        public IReadOnlyList<RdsDbProxy>? Proxies { get; set; }

        public AuroraSecurityException? ProxiesError { get; set; }

        /// <summary>The failure that keeps a check with this evidence from being evaluated, or null.</summary>
        public AuroraSecurityException? ErrorFor(CheckEvidence evidence)
        {
            switch (evidence)
            {
                case CheckEvidence.TlsConfig: return TlsConfigError;
                case CheckEvidence.Instances: return InstancesError;
                case CheckEvidence.ClusterParameters: return ClusterParametersError;
                case CheckEvidence.SecurityGroups: return SecurityGroupsError;
                case CheckEvidence.Snapshots: return SnapshotsError;
                case CheckEvidence.Proxies: return ProxiesError;
                default: return null;
            }
        }
    }

    /// <summary>A manual cluster snapshot and its attributes (null with <see cref="AttributesError"/> when they could not be read).</summary>
    public sealed class SnapshotEvidence
    {
        public SnapshotEvidence(RdsDbClusterSnapshot snapshot)
        {
            Snapshot = snapshot ?? throw new ArgumentNullException(nameof(snapshot));
        }

        public RdsDbClusterSnapshot Snapshot { get; }

        public IReadOnlyList<RdsSnapshotAttribute>? Attributes { get; set; }

        public string? AttributesError { get; set; }

        public override string ToString() => Snapshot.DBClusterSnapshotIdentifier;
    }
}
