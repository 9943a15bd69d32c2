using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>What an audit reads and which checks need it, in the words -Verbose shows.</summary>
    public static class AuditReads
    {
        /// <summary>One line per kind of evidence the checks need: what is read, and for which checks.</summary>
        public static IReadOnlyList<string> Describe(IEnumerable<SecurityCheck> checks) =>
            (checks ?? throw new ArgumentNullException(nameof(checks)))
                .GroupBy(c => c.Evidence)
                .OrderBy(g => g.Key)
                .Select(g => $"Reads {What(g.Key)} for {string.Join(", ", g.Select(c => c.Id))}.")
                .ToList();

        /// <summary>What is read for one kind of evidence, and how.</summary>
        public static string What(CheckEvidence evidence)
        {
            switch (evidence)
            {
                case CheckEvidence.Cluster: return "each cluster's settings (DescribeDBClusters)";
                case CheckEvidence.TlsConfig: return "the TLS settings of each cluster parameter group (DescribeDBClusterParameters)";
                case CheckEvidence.Instances: return "the clusters' DB instances (DescribeDBInstances)";
                case CheckEvidence.ClusterParameters: return "every parameter of each cluster parameter group (DescribeDBClusterParameters)";
                case CheckEvidence.SecurityGroups: return "the clusters' VPC security groups (EC2 DescribeSecurityGroups)";
                case CheckEvidence.Snapshots: return "the manual cluster snapshots and who may restore them (DescribeDBClusterSnapshots, DescribeDBClusterSnapshotAttributes)";
                case CheckEvidence.Proxies: return "the RDS Proxies in front of the clusters (DescribeDBProxies, DescribeDBProxyTargets)";
                case CheckEvidence.Sql: return "accounts, privileges, sessions and server variables over SQL, with -SqlCredential or -IamAuthentication only";
                case CheckEvidence.Wire: return "what the endpoints accept in TLS handshakes, with -ProbeEndpoint only";
                default: throw new ArgumentOutOfRangeException(nameof(evidence), evidence, "No description for this kind of evidence.");
            }
        }
    }
}
