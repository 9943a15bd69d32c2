using System;

namespace AuroraSecurity.Audit
{
    /// <summary>The result of one security check on one Aurora MySQL cluster: what was checked, the outcome, why, and what to run.</summary>
    public sealed class Finding
    {
        /// <summary>The check's stable id ("AURSEC-TLS-001").</summary>
        public string CheckId { get; set; } = string.Empty;

        public string Title { get; set; } = string.Empty;

        public FindingSeverity Severity { get; set; }

        public FindingStatus Status { get; set; }

        /// <summary>Why the check came out this way, with the values seen.</summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>What to do, usually the cmdlet to run; empty when nothing needs doing.</summary>
        public string Recommendation { get; set; } = string.Empty;

        /// <summary>What the finding is about: the cluster ARN, or its identifier when RDS gave no ARN.</summary>
        public string Target { get; set; } = string.Empty;

        public string ClusterIdentifier { get; set; } = string.Empty;

        /// <summary>The same value as <see cref="ClusterIdentifier"/>, under the name AWS.Tools cmdlets bind by property name.</summary>
        public string DBClusterIdentifier => ClusterIdentifier;

        public string? DBClusterArn { get; set; }

        /// <summary>The account that owns the cluster, read from its ARN (null when RDS gave no ARN).</summary>
        public string? AccountId => AuroraSecurity.Clusters.ClusterArn.TryParse(DBClusterArn)?.AccountId;

        public string Region { get; set; } = string.Empty;

        public string? EngineVersion { get; set; }

        /// <summary>When the check was evaluated, in UTC.</summary>
        public DateTimeOffset Timestamp { get; set; }

        /// <summary>The status the check gave, when a baseline suppression shows the finding as Suppressed; null otherwise.</summary>
        public FindingStatus? SuppressedStatus { get; set; }

        /// <summary>Why the finding is suppressed (or was, when the suppression expired); null when no suppression covers it.</summary>
        public string? Justification { get; set; }

        /// <summary>The last day (UTC) of the suppression that covers the finding, or that expired.</summary>
        public DateTime? SuppressionExpires { get; set; }

        /// <summary>The cluster as the audit read it, for outputs that describe the resource (ASFF); absent on findings rebuilt from files.</summary>
        internal AuroraSecurity.Clusters.AuroraCluster? Cluster { get; set; }

        public override string ToString() => $"{ClusterIdentifier} {CheckId} {Status}";
    }
}
