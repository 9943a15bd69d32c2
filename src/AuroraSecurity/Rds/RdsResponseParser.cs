using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>Maps RDS XML shapes to this module's model classes.</summary>
    internal static class RdsResponseParser
    {
        public static RdsDbCluster Cluster(XElement e) => new RdsDbCluster
        {
            DBClusterIdentifier = RdsXml.Text(e, "DBClusterIdentifier") ?? string.Empty,
            DBClusterArn = RdsXml.NonEmptyText(e, "DBClusterArn"),
            DbClusterResourceId = RdsXml.NonEmptyText(e, "DbClusterResourceId"),
            Engine = RdsXml.NonEmptyText(e, "Engine"),
            EngineVersion = RdsXml.NonEmptyText(e, "EngineVersion"),
            EngineMode = RdsXml.NonEmptyText(e, "EngineMode"),
            Endpoint = RdsXml.NonEmptyText(e, "Endpoint"),
            ReaderEndpoint = RdsXml.NonEmptyText(e, "ReaderEndpoint"),
            Port = RdsXml.Int(e, "Port"),
            DBClusterParameterGroup = RdsXml.NonEmptyText(e, "DBClusterParameterGroup"),
            MasterUsername = RdsXml.NonEmptyText(e, "MasterUsername"),
            IAMDatabaseAuthenticationEnabled = RdsXml.BoolOrNull(e, "IAMDatabaseAuthenticationEnabled"),
            StorageEncrypted = RdsXml.BoolOrNull(e, "StorageEncrypted"),
            Status = RdsXml.NonEmptyText(e, "Status"),
            PendingModifiedValues = PendingModifiedValues(RdsXml.Child(e, "PendingModifiedValues")),
            DBClusterMembers = RdsXml.List(e, "DBClusterMembers", "DBClusterMember").Select(m => new RdsDbClusterMember
            {
                DBInstanceIdentifier = RdsXml.Text(m, "DBInstanceIdentifier") ?? string.Empty,
                IsClusterWriter = RdsXml.BoolOrNull(m, "IsClusterWriter"),
                DBClusterParameterGroupStatus = RdsXml.NonEmptyText(m, "DBClusterParameterGroupStatus"),
            }).ToList(),
            DeletionProtection = RdsXml.BoolOrNull(e, "DeletionProtection"),
            BackupRetentionPeriod = RdsXml.Int(e, "BackupRetentionPeriod"),
            CopyTagsToSnapshot = RdsXml.BoolOrNull(e, "CopyTagsToSnapshot"),
            MasterUserSecret = MasterUserSecret(RdsXml.Child(e, "MasterUserSecret")),
            EnabledCloudwatchLogsExports = RdsXml.Child(e, "EnabledCloudwatchLogsExports") == null
                ? null
                : RdsXml.List(e, "EnabledCloudwatchLogsExports", null).Select(x => x.Value.Trim()).Where(x => x.Length > 0).ToList(),
            VpcSecurityGroups = RdsXml.Child(e, "VpcSecurityGroups") == null
                ? null
                : RdsXml.List(e, "VpcSecurityGroups", "VpcSecurityGroupMembership").Select(g => new RdsVpcSecurityGroupMembership
                {
                    VpcSecurityGroupId = RdsXml.Text(g, "VpcSecurityGroupId") ?? string.Empty,
                    Status = RdsXml.NonEmptyText(g, "Status"),
                }).ToList(),
            Tags = Tags(e),
        };

        private static RdsMasterUserSecret? MasterUserSecret(XElement? e) => e == null ? null : new RdsMasterUserSecret
        {
            SecretArn = RdsXml.NonEmptyText(e, "SecretArn"),
            SecretStatus = RdsXml.NonEmptyText(e, "SecretStatus"),
            KmsKeyId = RdsXml.NonEmptyText(e, "KmsKeyId"),
        };

        // TagList is absent from answers that do not carry tags: unknown, not "no tags".
        private static System.Collections.Generic.IReadOnlyDictionary<string, string>? Tags(XElement e)
        {
            if (RdsXml.Child(e, "TagList") == null) return null;
            var tags = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var tag in RdsXml.List(e, "TagList", "Tag"))
            {
                var key = RdsXml.Text(tag, "Key");
                if (!string.IsNullOrEmpty(key)) tags[key!] = RdsXml.Text(tag, "Value") ?? string.Empty;
            }

            return tags;
        }

        private static RdsClusterPendingModifiedValues? PendingModifiedValues(XElement? e)
        {
            if (e == null) return null;
            var items = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var child in e.Elements()) items[child.Name.LocalName] = child.Value;
            return new RdsClusterPendingModifiedValues
            {
                IAMDatabaseAuthenticationEnabled = RdsXml.BoolOrNull(e, "IAMDatabaseAuthenticationEnabled"),
                EngineVersion = RdsXml.NonEmptyText(e, "EngineVersion"),
                DBClusterIdentifier = RdsXml.NonEmptyText(e, "DBClusterIdentifier"),
                Items = items,
            };
        }

        public static RdsDbInstance Instance(XElement e)
        {
            var endpoint = RdsXml.Child(e, "Endpoint");
            var certificate = RdsXml.Child(e, "CertificateDetails");
            return new RdsDbInstance
            {
                DBInstanceIdentifier = RdsXml.Text(e, "DBInstanceIdentifier") ?? string.Empty,
                DBClusterIdentifier = RdsXml.NonEmptyText(e, "DBClusterIdentifier"),
                DBInstanceArn = RdsXml.NonEmptyText(e, "DBInstanceArn"),
                DBInstanceClass = RdsXml.NonEmptyText(e, "DBInstanceClass"),
                DBInstanceStatus = RdsXml.NonEmptyText(e, "DBInstanceStatus"),
                Engine = RdsXml.NonEmptyText(e, "Engine"),
                EngineVersion = RdsXml.NonEmptyText(e, "EngineVersion"),
                EndpointAddress = RdsXml.NonEmptyText(endpoint, "Address"),
                EndpointPort = RdsXml.Int(endpoint, "Port"),
                CACertificateIdentifier = RdsXml.NonEmptyText(e, "CACertificateIdentifier") ?? RdsXml.NonEmptyText(certificate, "CAIdentifier"),
                CertificateValidTill = RdsXml.Date(certificate, "ValidTill"),
                IAMDatabaseAuthenticationEnabled = RdsXml.BoolOrNull(e, "IAMDatabaseAuthenticationEnabled"),
                PubliclyAccessible = RdsXml.BoolOrNull(e, "PubliclyAccessible"),
                AutoMinorVersionUpgrade = RdsXml.BoolOrNull(e, "AutoMinorVersionUpgrade"),
                DBParameterGroups = RdsXml.List(e, "DBParameterGroups", "DBParameterGroup").Select(g => new RdsDbParameterGroupStatus
                {
                    DBParameterGroupName = RdsXml.Text(g, "DBParameterGroupName") ?? string.Empty,
                    ParameterApplyStatus = RdsXml.NonEmptyText(g, "ParameterApplyStatus"),
                }).ToList(),
            };
        }

        public static RdsParameter Parameter(XElement e) => new RdsParameter
        {
            ParameterName = RdsXml.Text(e, "ParameterName") ?? string.Empty,
            // An empty value is meaningful for some parameters, so keep "" distinct from absent.
            ParameterValue = RdsXml.Text(e, "ParameterValue"),
            Description = RdsXml.NonEmptyText(e, "Description"),
            Source = RdsXml.NonEmptyText(e, "Source"),
            ApplyType = RdsXml.NonEmptyText(e, "ApplyType"),
            DataType = RdsXml.NonEmptyText(e, "DataType"),
            AllowedValues = RdsXml.NonEmptyText(e, "AllowedValues"),
            IsModifiable = RdsXml.BoolOrNull(e, "IsModifiable"),
            MinimumEngineVersion = RdsXml.NonEmptyText(e, "MinimumEngineVersion"),
            ApplyMethod = RdsXml.NonEmptyText(e, "ApplyMethod"),
        };

        public static RdsClusterParameterGroup ClusterParameterGroup(XElement e) => new RdsClusterParameterGroup
        {
            DBClusterParameterGroupName = RdsXml.Text(e, "DBClusterParameterGroupName") ?? string.Empty,
            DBParameterGroupFamily = RdsXml.NonEmptyText(e, "DBParameterGroupFamily"),
            Description = RdsXml.NonEmptyText(e, "Description"),
            DBClusterParameterGroupArn = RdsXml.NonEmptyText(e, "DBClusterParameterGroupArn"),
        };

        public static RdsCertificate Certificate(XElement e, string? defaultForNewLaunches)
        {
            var id = RdsXml.Text(e, "CertificateIdentifier") ?? string.Empty;
            return new RdsCertificate
            {
                CertificateIdentifier = id,
                CertificateType = RdsXml.NonEmptyText(e, "CertificateType"),
                Thumbprint = RdsXml.NonEmptyText(e, "Thumbprint"),
                ValidFrom = RdsXml.Date(e, "ValidFrom"),
                ValidTill = RdsXml.Date(e, "ValidTill"),
                CertificateArn = RdsXml.NonEmptyText(e, "CertificateArn"),
                CustomerOverride = RdsXml.BoolOrNull(e, "CustomerOverride"),
                CustomerOverrideValidTill = RdsXml.Date(e, "CustomerOverrideValidTill"),
                IsDefaultForNewLaunches = defaultForNewLaunches != null && id == defaultForNewLaunches,
            };
        }

        public static RdsDbProxy Proxy(XElement e) => new RdsDbProxy
        {
            DBProxyName = RdsXml.Text(e, "DBProxyName") ?? string.Empty,
            DBProxyArn = RdsXml.NonEmptyText(e, "DBProxyArn"),
            EngineFamily = RdsXml.NonEmptyText(e, "EngineFamily"),
            Endpoint = RdsXml.NonEmptyText(e, "Endpoint"),
            RequireTLS = RdsXml.BoolOrNull(e, "RequireTLS"),
            Status = RdsXml.NonEmptyText(e, "Status"),
        };

        public static RdsDbProxyTarget ProxyTarget(XElement e) => new RdsDbProxyTarget
        {
            TargetArn = RdsXml.NonEmptyText(e, "TargetArn"),
            Endpoint = RdsXml.NonEmptyText(e, "Endpoint"),
            TrackedClusterId = RdsXml.NonEmptyText(e, "TrackedClusterId"),
            RdsResourceId = RdsXml.NonEmptyText(e, "RdsResourceId"),
            Type = RdsXml.NonEmptyText(e, "Type"),
            Role = RdsXml.NonEmptyText(e, "Role"),
        };

        public static RdsDbClusterSnapshot ClusterSnapshot(XElement e) => new RdsDbClusterSnapshot
        {
            DBClusterSnapshotIdentifier = RdsXml.Text(e, "DBClusterSnapshotIdentifier") ?? string.Empty,
            DBClusterIdentifier = RdsXml.NonEmptyText(e, "DBClusterIdentifier"),
            DBClusterSnapshotArn = RdsXml.NonEmptyText(e, "DBClusterSnapshotArn"),
            SnapshotType = RdsXml.NonEmptyText(e, "SnapshotType"),
            Engine = RdsXml.NonEmptyText(e, "Engine"),
            Status = RdsXml.NonEmptyText(e, "Status"),
            SnapshotCreateTime = RdsXml.Date(e, "SnapshotCreateTime"),
            StorageEncrypted = RdsXml.BoolOrNull(e, "StorageEncrypted"),
        };

        public static RdsSnapshotAttribute SnapshotAttribute(XElement e) => new RdsSnapshotAttribute
        {
            AttributeName = RdsXml.Text(e, "AttributeName") ?? string.Empty,
            AttributeValues = RdsXml.List(e, "AttributeValues", "AttributeValue").Select(v => v.Value.Trim()).ToList(),
        };

        /// <summary>Reads an error answer; tolerates both ErrorResponse/Error and Response/Errors/Error layouts.</summary>
        public static bool TryReadError(XDocument document, out string code, out string message, out string? type, out string? requestId)
        {
            code = string.Empty;
            message = string.Empty;
            type = null;
            requestId = null;
            var root = document.Root;
            if (root == null) return false;
            var error = root.Descendants().FirstOrDefault(d => d.Name.LocalName == "Error" && RdsXml.Child(d, "Code") != null);
            if (error == null) return false;
            code = RdsXml.Text(error, "Code")?.Trim() ?? string.Empty;
            message = RdsXml.Text(error, "Message")?.Trim() ?? string.Empty;
            type = RdsXml.NonEmptyText(error, "Type");
            requestId = root.Descendants().FirstOrDefault(d => d.Name.LocalName == "RequestId" || d.Name.LocalName == "RequestID")?.Value;
            return code.Length > 0;
        }

        public static string? RequestId(XDocument document) =>
            document.Root?.Descendants().FirstOrDefault(d => d.Name.LocalName == "RequestId")?.Value;
    }
}
