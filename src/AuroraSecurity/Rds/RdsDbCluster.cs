using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>An RDS DB cluster as DescribeDBClusters returns it (the members this module uses).</summary>
    public sealed class RdsDbCluster
    {
        public string DBClusterIdentifier { get; set; } = string.Empty;
        public string? DBClusterArn { get; set; }
        /// <summary>The cluster's resource id (cluster-ABC…), which IAM database authentication policies name; null when left out.</summary>
        public string? DbClusterResourceId { get; set; }
        public string? Engine { get; set; }
        public string? EngineVersion { get; set; }
        public string? EngineMode { get; set; }
        public string? Endpoint { get; set; }
        public string? ReaderEndpoint { get; set; }
        public int? Port { get; set; }
        public string? DBClusterParameterGroup { get; set; }
        public string? MasterUsername { get; set; }
        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? IAMDatabaseAuthenticationEnabled { get; set; }
        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? StorageEncrypted { get; set; }
        public string? Status { get; set; }
        /// <summary>Changes RDS accepted but has not applied yet; null when the answer has no PendingModifiedValues element.</summary>
        public RdsClusterPendingModifiedValues? PendingModifiedValues { get; set; }
        public IReadOnlyList<RdsDbClusterMember> DBClusterMembers { get; set; } = new RdsDbClusterMember[0];

        // Members read for the security audit; null means RDS left the field out of its answer (unknown).
        public bool? DeletionProtection { get; set; }
        public int? BackupRetentionPeriod { get; set; }
        public bool? CopyTagsToSnapshot { get; set; }

        /// <summary>The Secrets Manager secret RDS manages for the master password; null when RDS reports none.</summary>
        public RdsMasterUserSecret? MasterUserSecret { get; set; }

        /// <summary>Log types exported to CloudWatch Logs (audit, error, general, slowquery); null when the answer had no such list.</summary>
        public IReadOnlyList<string>? EnabledCloudwatchLogsExports { get; set; }

        /// <summary>The cluster's VPC security groups; null when the answer had no such list.</summary>
        public IReadOnlyList<RdsVpcSecurityGroupMembership>? VpcSecurityGroups { get; set; }
        /// <summary>TagList as key → value; null when the answer had no TagList.</summary>
        public IReadOnlyDictionary<string, string>? Tags { get; set; }

        public override string ToString() => DBClusterIdentifier;
    }

    /// <summary>The master user secret RDS keeps in Secrets Manager.</summary>
    public sealed class RdsMasterUserSecret
    {
        public string? SecretArn { get; set; }
        public string? SecretStatus { get; set; }
        public string? KmsKeyId { get; set; }
    }

    /// <summary>A VPC security group of a cluster or instance, with its membership status (active, adding, removing…).</summary>
    public sealed class RdsVpcSecurityGroupMembership
    {
        public string VpcSecurityGroupId { get; set; } = string.Empty;
        public string? Status { get; set; }

        public override string ToString() => VpcSecurityGroupId;
    }

    /// <summary>One instance of a DB cluster, with its writer role and parameter-group sync state.</summary>
    public sealed class RdsDbClusterMember
    {
        public string DBInstanceIdentifier { get; set; } = string.Empty;
        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? IsClusterWriter { get; set; }
        public string? DBClusterParameterGroupStatus { get; set; }

        public override string ToString() => DBInstanceIdentifier;
    }

    /// <summary>A cluster's PendingModifiedValues: what RDS accepted but applies later (at the next maintenance step or reboot).</summary>
    public sealed class RdsClusterPendingModifiedValues
    {
        /// <summary>The IAM database authentication setting waiting to be applied; null when none is pending.</summary>
        public bool? IAMDatabaseAuthenticationEnabled { get; set; }

        public string? EngineVersion { get; set; }

        public string? DBClusterIdentifier { get; set; }

        /// <summary>Every element RDS listed, by name, with its text (lists and structures as their concatenated text).</summary>
        public IReadOnlyDictionary<string, string> Items { get; set; } = new Dictionary<string, string>();

        /// <summary>True when RDS listed at least one pending value.</summary>
        public bool Any => Items.Count > 0;

        public override string ToString() => string.Join(", ", System.Linq.Enumerable.Select(Items, i => i.Key + "=" + i.Value));
    }
}
