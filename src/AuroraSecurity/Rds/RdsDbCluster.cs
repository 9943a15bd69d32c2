using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>An RDS DB cluster as DescribeDBClusters returns it (the members this module uses).</summary>
    public sealed class RdsDbCluster
    {
        public string DBClusterIdentifier { get; set; } = string.Empty;
        public string? DBClusterArn { get; set; }
        public string? Engine { get; set; }
        public string? EngineVersion { get; set; }
        public string? EngineMode { get; set; }
        public string? Endpoint { get; set; }
        public string? ReaderEndpoint { get; set; }
        public int? Port { get; set; }
        public string? DBClusterParameterGroup { get; set; }
        public string? MasterUsername { get; set; }
        public bool IAMDatabaseAuthenticationEnabled { get; set; }
        public bool StorageEncrypted { get; set; }
        public string? Status { get; set; }
        public IReadOnlyList<RdsDbClusterMember> DBClusterMembers { get; set; } = new RdsDbClusterMember[0];

        /// <summary>TagList as key → value; null when the answer had no TagList.</summary>
        public IReadOnlyDictionary<string, string>? Tags { get; set; }

        public override string ToString() => DBClusterIdentifier;
    }

    /// <summary>One instance of a DB cluster, with its writer role and parameter-group sync state.</summary>
    public sealed class RdsDbClusterMember
    {
        public string DBInstanceIdentifier { get; set; } = string.Empty;
        public bool IsClusterWriter { get; set; }
        public string? DBClusterParameterGroupStatus { get; set; }

        public override string ToString() => DBInstanceIdentifier;
    }
}
