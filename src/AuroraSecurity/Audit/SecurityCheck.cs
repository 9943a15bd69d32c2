namespace AuroraSecurity.Audit
{
    /// <summary>What a check needs read from RDS before it can be evaluated.</summary>
    public enum CheckEvidence
    {
        /// <summary>DescribeDBClusters alone.</summary>
        Cluster,

        /// <summary>The cluster parameter group's TLS settings.</summary>
        TlsConfig,

        /// <summary>The cluster's DB instances (DescribeDBInstances).</summary>
        Instances,

        /// <summary>Accounts, privileges, sessions and variables read over SQL (-SqlCredential or -IamAuthentication).</summary>
        Sql,

        /// <summary>What the cluster and instance endpoints accept in TLS handshakes (-ProbeEndpoint).</summary>
        Wire,
    }

    /// <summary>One entry of the check catalogue: id, title, severity and the recommendation to give when it does not pass.</summary>
    public sealed class SecurityCheck
    {
        public SecurityCheck(string id, string title, FindingSeverity severity, CheckEvidence evidence, string recommendation, string description)
        {
            Id = id;
            Title = title;
            Severity = severity;
            Evidence = evidence;
            Recommendation = recommendation;
            Description = description;
        }

        /// <summary>The stable id ("AURSEC-TLS-001").</summary>
        public string Id { get; }

        public string Title { get; }

        public FindingSeverity Severity { get; }

        /// <summary>What the check reads from RDS.</summary>
        public CheckEvidence Evidence { get; }

        /// <summary>The recommendation; {0} stands for the cluster identifier.</summary>
        public string Recommendation { get; }

        /// <summary>What the check looks at and why it matters.</summary>
        public string Description { get; }

        /// <summary>The recommendation for one cluster.</summary>
        public string RecommendationFor(string clusterIdentifier) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Recommendation, clusterIdentifier);

        public override string ToString() => Id;
    }
}
