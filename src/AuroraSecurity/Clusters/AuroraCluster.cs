using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>An Aurora MySQL DB cluster as the module reports it; binds to AWS.Tools cmdlets through DBClusterIdentifier.</summary>
    public sealed class AuroraCluster
    {
        /// <summary>Engines of Aurora MySQL: aurora-mysql (versions 2 and 3) and aurora (version 1, MySQL 5.6-compatible).</summary>
        public static IReadOnlyList<string> MySqlEngines { get; } = new[] { "aurora-mysql", "aurora" };

        public string ClusterIdentifier { get; set; } = string.Empty;

        /// <summary>The same value as <see cref="ClusterIdentifier"/>, under the name AWS.Tools cmdlets bind by property name.</summary>
        public string DBClusterIdentifier => ClusterIdentifier;

        public string? DBClusterArn { get; set; }

        /// <summary>The same value as <see cref="DBClusterArn"/>.</summary>
        public string? Arn => DBClusterArn;

        /// <summary>The account that owns the cluster, read from its ARN (null when RDS gave no ARN).</summary>
        public string? AccountId => AuroraSecurity.Clusters.ClusterArn.TryParse(DBClusterArn)?.AccountId;

        public string Region { get; set; } = string.Empty;

        public string Engine { get; set; } = string.Empty;

        public string? EngineVersion { get; set; }

        /// <summary>1, 2 or 3; null when the engine version is in a form that does not say.</summary>
        public int? AuroraMajorVersion { get; set; }

        public string? Status { get; set; }

        public string? Endpoint { get; set; }

        public string? ReaderEndpoint { get; set; }

        public int? Port { get; set; }

        /// <summary>The DB cluster parameter group, where require_secure_transport, tls_version and ssl_cipher live.</summary>
        public string? ParameterGroupName { get; set; }

        /// <summary>The parameter group family the engine version belongs to ("aurora-mysql8.0"), or null when unknown.</summary>
        public string? ParameterGroupFamily { get; set; }

        public IReadOnlyList<AuroraClusterMember> Members { get; set; } = new AuroraClusterMember[0];

        public string? MasterUsername { get; set; }

        /// <summary>Whether IAM database authentication is in effect; null when RDS's answer did not say (unknown).</summary>
        public bool? IamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>The IAM database authentication setting RDS accepted but has not applied yet (PendingModifiedValues); null when none is pending.</summary>
        public bool? PendingIamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>Every value RDS lists under PendingModifiedValues ("IAMDatabaseAuthenticationEnabled=true"); empty when none.</summary>
        public IReadOnlyList<string> PendingModifiedValues { get; set; } = new string[0];

        /// <summary>Null when RDS's answer did not say (unknown).</summary>
        public bool? StorageEncrypted { get; set; }

        /// <summary>Null when RDS did not report it (unknown).</summary>
        public bool? DeletionProtection { get; set; }

        /// <summary>Days automated backups are kept; null when RDS did not report it.</summary>
        public int? BackupRetentionPeriod { get; set; }

        /// <summary>Null when RDS did not report it (unknown).</summary>
        public bool? CopyTagsToSnapshot { get; set; }

        /// <summary>The Secrets Manager secret RDS manages for the master password, or null when RDS reports none.</summary>
        public string? MasterUserSecretArn { get; set; }

        /// <summary>Status of that secret (active, creating, rotating, impaired); null without one.</summary>
        public string? MasterUserSecretStatus { get; set; }

        /// <summary>Log types exported to CloudWatch Logs; null when RDS did not report the list.</summary>
        public IReadOnlyList<string>? EnabledCloudwatchLogsExports { get; set; }

        /// <summary>The ids of the cluster's VPC security groups; null when RDS did not report them.</summary>
        public IReadOnlyList<string>? VpcSecurityGroupIds { get; set; }
        /// <summary>The cluster's tags (key → value); null when RDS did not report them.</summary>
        public IReadOnlyDictionary<string, string>? Tags { get; set; }

        /// <summary>True for the engines of Aurora MySQL (see <see cref="MySqlEngines"/>).</summary>
        public static bool IsMySqlEngine(string? engine) => engine != null && MySqlEngines.Contains(engine, StringComparer.Ordinal);

        /// <summary>Maps a DescribeDBClusters entry; the caller checks <see cref="IsMySqlEngine"/> first.</summary>
        public static AuroraCluster FromRds(RdsDbCluster cluster, string region)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            var major = MajorVersionOf(cluster.Engine, cluster.EngineVersion);
            return new AuroraCluster
            {
                ClusterIdentifier = cluster.DBClusterIdentifier,
                DBClusterArn = cluster.DBClusterArn,
                Region = region,
                Engine = cluster.Engine ?? string.Empty,
                EngineVersion = cluster.EngineVersion,
                AuroraMajorVersion = major,
                Status = cluster.Status,
                Endpoint = cluster.Endpoint,
                ReaderEndpoint = cluster.ReaderEndpoint,
                Port = cluster.Port,
                ParameterGroupName = cluster.DBClusterParameterGroup,
                ParameterGroupFamily = FamilyOf(cluster.Engine, cluster.EngineVersion, major),
                Members = cluster.DBClusterMembers
                    .Select(m => new AuroraClusterMember(m.DBInstanceIdentifier, m.IsClusterWriter, m.DBClusterParameterGroupStatus))
                    .ToArray(),
                MasterUsername = cluster.MasterUsername,
                IamDatabaseAuthenticationEnabled = cluster.IAMDatabaseAuthenticationEnabled,
                PendingIamDatabaseAuthenticationEnabled = cluster.PendingModifiedValues?.IAMDatabaseAuthenticationEnabled,
                PendingModifiedValues = cluster.PendingModifiedValues?.Items.Select(i => i.Key + "=" + i.Value).ToArray() ?? new string[0],
                StorageEncrypted = cluster.StorageEncrypted,
                DeletionProtection = cluster.DeletionProtection,
                BackupRetentionPeriod = cluster.BackupRetentionPeriod,
                CopyTagsToSnapshot = cluster.CopyTagsToSnapshot,
                MasterUserSecretArn = cluster.MasterUserSecret?.SecretArn,
                MasterUserSecretStatus = cluster.MasterUserSecret?.SecretStatus,
                EnabledCloudwatchLogsExports = cluster.EnabledCloudwatchLogsExports,
                VpcSecurityGroupIds = cluster.VpcSecurityGroups?.Select(g => g.VpcSecurityGroupId).Where(g => g.Length > 0).ToArray(),
                Tags = cluster.Tags,
            };
        }

        /// <summary>The Aurora major version of an engine and version, also for the older "5.7.12" spelling.</summary>
        public static int? MajorVersionOf(string? engine, string? engineVersion)
        {
            if (AuroraEngineVersion.TryParse(engineVersion, out var parsed, out _)) return parsed!.AuroraMajorVersion;
            if (string.Equals(engine, "aurora", StringComparison.Ordinal)) return 1;
            return MySqlCompatibilities.FromVersionPrefix(engineVersion)?.AuroraMajor();
        }

        private static string? FamilyOf(string? engine, string? engineVersion, int? major)
        {
            if (major == null) return null;
            return MySqlCompatibilities.OfAuroraMajor(string.Equals(engine, "aurora", StringComparison.Ordinal) ? 1 : major.Value).ParameterGroupFamily();
        }

        public override string ToString() => ClusterIdentifier;
    }

    /// <summary>One DB instance of an Aurora cluster: its role and whether it runs the cluster parameter group's current values.</summary>
    public sealed class AuroraClusterMember
    {
        public const string PendingRebootStatus = "pending-reboot";

        public AuroraClusterMember(string instanceIdentifier, bool? isWriter, string? parameterGroupStatus)
        {
            InstanceIdentifier = instanceIdentifier;
            IsWriter = isWriter;
            ParameterGroupStatus = parameterGroupStatus;
        }

        public string InstanceIdentifier { get; }

        /// <summary>Null when RDS's answer did not say.</summary>
        public bool? IsWriter { get; }

        /// <summary>in-sync, pending-reboot or applying; null when RDS's answer did not say (unknown).</summary>
        public string? ParameterGroupStatus { get; }

        /// <summary>True when the instance waits for a reboot to run the group's values; false also when the status is unknown (see <see cref="ParameterGroupStatusKnown"/>).</summary>
        public bool PendingReboot => string.Equals(ParameterGroupStatus, PendingRebootStatus, StringComparison.Ordinal);

        /// <summary>False when RDS left DBClusterParameterGroupStatus out: whether the instance runs the group's values is unknown.</summary>
        public bool ParameterGroupStatusKnown => !string.IsNullOrEmpty(ParameterGroupStatus);

        /// <summary>True only when RDS says the instance runs the group's current values.</summary>
        public bool InSync => string.Equals(ParameterGroupStatus, "in-sync", StringComparison.Ordinal);

        public override string ToString() => InstanceIdentifier + (IsWriter == true ? " (writer)" : string.Empty);
    }
}
