using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>What a check needs read before it can be evaluated.</summary>
    public enum CheckEvidence
    {
        /// <summary>DescribeDBClusters alone.</summary>
        Cluster,

        /// <summary>The cluster parameter group's TLS settings.</summary>
        TlsConfig,

        /// <summary>The cluster's DB instances (DescribeDBInstances).</summary>
        Instances,

        /// <summary>Every parameter of the cluster parameter group (DescribeDBClusterParameters).</summary>
        ClusterParameters,

        /// <summary>The cluster's VPC security groups (EC2 DescribeSecurityGroups).</summary>
        SecurityGroups,

        /// <summary>The cluster's manual snapshots and their attributes (DescribeDBClusterSnapshots, DescribeDBClusterSnapshotAttributes).</summary>
        Snapshots,

        /// <summary>The RDS Proxies in front of the cluster (DescribeDBProxies, DescribeDBProxyTargets).</summary>
        Proxies,

        /// <summary>Accounts, privileges, sessions and variables read over SQL (-SqlCredential or -IamAuthentication).</summary>
        Sql,

        /// <summary>What the cluster and instance endpoints accept in TLS handshakes (-ProbeEndpoint).</summary>
        Wire,
    }

    /// <summary>One entry of the check catalogue: id, title, severity, evidence, references and the recommendation to give when it does not pass.</summary>
    public sealed class SecurityCheck
    {
        /// <summary>What the catalogue lists in place of a cluster identifier (the recommendation's {0}).</summary>
        public const string ClusterPlaceholder = "<cluster>";

        private readonly string _recommendationTemplate;

        /// <param name="recommendation">The recommendation; {0} stands for the cluster identifier.</param>
        public SecurityCheck(string id, string title, FindingSeverity severity, CheckEvidence evidence, string recommendation, string description, params CheckReference[] references)
        {
            Id = id;
            Title = title;
            Severity = severity;
            Evidence = evidence;
            _recommendationTemplate = recommendation ?? string.Empty;
            Recommendation = RecommendationFor(ClusterPlaceholder);
            Description = description;
            References = references ?? new CheckReference[0];
        }

        /// <summary>The stable id ("AURSEC-TLS-001").</summary>
        public string Id { get; }

        public string Title { get; }

        public FindingSeverity Severity { get; }

        /// <summary>What the check reads.</summary>
        public CheckEvidence Evidence { get; }

        /// <summary>The recommendation as a user reads it, with &lt;cluster&gt; where the cluster identifier goes.</summary>
        public string Recommendation { get; }

        /// <summary>What the check looks at and why it matters.</summary>
        public string Description { get; }

        /// <summary>The controls of FSBP, CIS AWS Foundations and Prowler that check the same thing (none when no peer does).</summary>
        public IReadOnlyList<CheckReference> References { get; }

        /// <summary>The references as one line ("FSBP RDS.7; Prowler rds_cluster_deletion_protection").</summary>
        public string ReferenceText => string.Join("; ", References.Select(r => r.ToString()));

        /// <summary>True when a reference names a control of <paramref name="framework"/> (FSBP, CIS, Prowler; case-insensitive).</summary>
        public bool IsReferencedBy(string framework) =>
            References.Any(r => string.Equals(r.Framework, (framework ?? string.Empty).Trim(), System.StringComparison.OrdinalIgnoreCase));

        /// <summary>The recommendation for one cluster.</summary>
        public string RecommendationFor(string clusterIdentifier) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, _recommendationTemplate, clusterIdentifier);

        public override string ToString() => Id;
    }
}
