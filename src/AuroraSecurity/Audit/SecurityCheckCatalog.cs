using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>The checks Invoke-AuroraSecurityAudit runs, in the order it reports them.</summary>
    public static partial class SecurityCheckCatalog
    {
        public const string RequireSecureTransport = "AURSEC-TLS-001";
        public const string TlsVersion = "AURSEC-TLS-002";
        public const string CipherSupport = "AURSEC-TLS-003";
        public const string NoDheCipher = "AURSEC-TLS-004";
        public const string NoPendingReboot = "AURSEC-TLS-005";
        public const string CaCertificate = "AURSEC-TLS-006";
        public const string CustomParameterGroup = "AURSEC-CFG-001";
        public const string IamAuthentication = "AURSEC-IAM-001";
        public const string StorageEncrypted = "AURSEC-ENC-001";
        public const string SnapshotsEncrypted = "AURSEC-ENC-002";
        public const string SnapshotsNotPublic = "AURSEC-ENC-003";
        public const string NotPubliclyAccessible = "AURSEC-NET-001";
        public const string NoOpenSecurityGroup = "AURSEC-NET-002";
        public const string NoBurstableClass = "AURSEC-NET-003";
        public const string DeletionProtection = "AURSEC-BAK-001";
        public const string BackupRetention = "AURSEC-BAK-002";
        public const string CopyTagsToSnapshot = "AURSEC-BAK-003";
        public const string AuditLogging = "AURSEC-LOG-001";
        public const string AuditLogExport = "AURSEC-LOG-002";
        public const string ErrorLogExport = "AURSEC-LOG-003";
        public const string SlowQueryLogExport = "AURSEC-LOG-004";
        public const string CustomMasterUsername = "AURSEC-IAM-002";
        public const string ManagedMasterPassword = "AURSEC-IAM-003";
        public const string AutoMinorVersionUpgrade = "AURSEC-MNT-001";
        public const string EngineStandardSupport = "AURSEC-MNT-002";
        public const string NonDefaultPort = "AURSEC-MNT-003";
        public const string CurrentCertificateAuthority = "AURSEC-TLS-007";
        public const string ProxyRequiresTls = "AURSEC-TLS-008";

        /// <summary>The region where the guide says Aurora MySQL storage encryption is not available (China (Ningxia)).</summary>
        public const string RegionWithoutEncryption = "cn-northwest-1";

        /// <summary>Days before a CA certificate's expiry from which the check warns.</summary>
        public const int CertificateWarningDays = 30;

        /// <summary>Every check: those read from RDS, then those that need SQL evidence, then those that need the endpoint probe.</summary>
        public static IReadOnlyList<SecurityCheck> All { get; } = RdsChecks().Concat(SqlChecks()).Concat(WireChecks()).ToList();

        private static IEnumerable<SecurityCheck> RdsChecks() => new[]
        {
            new SecurityCheck(RequireSecureTransport, "Connections must use TLS (require_secure_transport)", FindingSeverity.High, CheckEvidence.TlsConfig,
                "Enable-AuroraSecureTransport -ClusterIdentifier {0}",
                "require_secure_transport is OFF by default: clients may then connect without encryption. It is dynamic, so turning it ON needs no reboot.",
                CheckReference.ProwlerCheck("rds_instance_transport_encrypted")),
            new SecurityCheck(TlsVersion, "TLS 1.0 and 1.1 are not allowed", FindingSeverity.Medium, CheckEvidence.TlsConfig,
                "Set-AuroraTlsVersion -ClusterIdentifier {0} -MinimumTlsVersion TLSv1.2",
                "On Aurora MySQL 2, tls_version TLSv1.2 allows TLS 1.2 only. Aurora MySQL 3 has no settable tls_version; restricting ssl_cipher to TLS 1.2 ciphers has the same effect."),
            new SecurityCheck(CipherSupport, "Every ssl_cipher value is supported by the engine version", FindingSeverity.Medium, CheckEvidence.TlsConfig,
                "Get-AuroraSupportedCipher -EngineVersion <version> | Where-Object Supported; then Set-AuroraCipherSuite -ClusterIdentifier {0} -Cipher <supported ciphers>",
                "A cipher the release does not support cannot be negotiated: clients that rely on it fail, and the list says less than it seems to."),
            new SecurityCheck(NoDheCipher, "No DHE ciphers where ECDHE ciphers are available", FindingSeverity.Low, CheckEvidence.TlsConfig,
                "Set-AuroraCipherSuite -ClusterIdentifier {0} -Cipher ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256",
                "ECDHE key exchange is faster and stronger than DHE; a release that supports ECDHE needs no DHE cipher."),
            new SecurityCheck(NoPendingReboot, "No TLS parameter change is waiting for a reboot", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Reboot the listed instances of {0} one at a time in a maintenance window (Restart-RDSDBInstance in AWS.Tools)",
                "ssl_cipher and tls_version are static: an instance keeps its old values until it reboots."),
            new SecurityCheck(CaCertificate, "Instance CA certificates are valid for more than 30 days", FindingSeverity.High, CheckEvidence.Instances,
                "Move the instances of {0} to a current CA (for example rds-ca-rsa2048-g1) with Edit-RDSDBInstance -CACertificateIdentifier, and give clients the global bundle",
                "Clients that verify the server certificate cannot connect once the instance's CA certificate has expired.",
                CheckReference.ProwlerCheck("rds_instance_certificate_expiration")),
            new SecurityCheck(CustomParameterGroup, "The cluster uses a custom cluster parameter group", FindingSeverity.Low, CheckEvidence.Cluster,
                "Enable-AuroraSecureTransport -ClusterIdentifier {0} -CreateCustomGroup",
                "RDS never modifies a default parameter group, so no TLS setting can be changed while the cluster uses one."),
            new SecurityCheck(IamAuthentication, "IAM database authentication is enabled", FindingSeverity.Low, CheckEvidence.Cluster,
                "Enable-AuroraIamAuthentication -ClusterIdentifier {0}",
                "IAM authentication lets applications log in with short-lived tokens instead of stored passwords; informational.",
                CheckReference.FsbpControl("RDS.12"), CheckReference.ProwlerCheck("rds_cluster_iam_authentication_enabled")),
            new SecurityCheck(StorageEncrypted, "Storage is encrypted at rest", FindingSeverity.High, CheckEvidence.Cluster,
                "Encryption is chosen at creation: restore {0} from an encrypted snapshot copy (Copy-RDSDBClusterSnapshot -KmsKeyId) and move clients to the new cluster",
                "An unencrypted cluster leaves its storage, backups and snapshots unencrypted. In China (Ningxia), cn-northwest-1, the guide says Aurora MySQL storage encryption is not available, so the check does not apply there.",
                CheckReference.FsbpControl("RDS.27"), CheckReference.CisItem("2.3.1", "v3.0.0"), CheckReference.ProwlerCheck("rds_cluster_storage_encrypted")),
            new SecurityCheck(SnapshotsEncrypted, "Manual cluster snapshots are encrypted", FindingSeverity.Medium, CheckEvidence.Snapshots,
                "Copy each unencrypted snapshot of {0} with a KMS key (Copy-RDSDBClusterSnapshot -KmsKeyId), then delete the unencrypted copy (Remove-RDSDBClusterSnapshot)",
                "A snapshot holds the whole database; an unencrypted one can be read by anyone who may copy or restore it.",
                CheckReference.FsbpControl("RDS.4"), CheckReference.ProwlerCheck("rds_snapshots_encrypted")),
            new SecurityCheck(SnapshotsNotPublic, "No manual cluster snapshot can be restored by everyone", FindingSeverity.High, CheckEvidence.Snapshots,
                "Edit-RDSDBClusterSnapshotAttribute -DBClusterSnapshotIdentifier <snapshot of {0}> -AttributeName restore -ValuesToRemove all",
                "A snapshot whose restore attribute contains 'all' can be copied and restored by every AWS account.",
                CheckReference.FsbpControl("RDS.1"), CheckReference.ProwlerCheck("rds_snapshots_public_access")),
            new SecurityCheck(NotPubliclyAccessible, "No instance is publicly accessible", FindingSeverity.High, CheckEvidence.Instances,
                "Edit-RDSDBInstance -DBInstanceIdentifier <instance of {0}> -PubliclyAccessible $false -ApplyImmediately $true",
                "A publicly accessible instance has an address reachable from the internet; only its security groups stand between it and every client there.",
                CheckReference.FsbpControl("RDS.2"), CheckReference.CisItem("2.3.3", "v3.0.0"), CheckReference.ProwlerCheck("rds_instance_no_public_access")),
            new SecurityCheck(NoOpenSecurityGroup, "No security group admits the database port from the whole internet", FindingSeverity.High, CheckEvidence.SecurityGroups,
                "Revoke-EC2SecurityGroupIngress -GroupId <group of {0}> for the 0.0.0.0/0 or ::/0 rule, and admit only the application's networks or security groups",
                "The guide's second level is who may reach the cluster: a rule that admits 0.0.0.0/0 or ::/0 on the cluster's port (or all traffic) lets any host try to log in.",
                CheckReference.ProwlerCheck("ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306")),
            new SecurityCheck(NoBurstableClass, "No burstable instance class (db.t2, db.t3, db.t4g)", FindingSeverity.Low, CheckEvidence.Instances,
                "Edit-RDSDBInstance -DBInstanceIdentifier <instance of {0}> -DBInstanceClass db.r6g.large (or another non-burstable class) in a maintenance window",
                "The guide recommends the T instance classes only for development and test: a burstable instance that runs out of CPU credits slows down or stops answering."),
            new SecurityCheck(DeletionProtection, "Deletion protection is enabled", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -DeletionProtection $true",
                "Without deletion protection one API call (or one mistaken script) deletes the cluster.",
                CheckReference.FsbpControl("RDS.7"), CheckReference.ProwlerCheck("rds_cluster_deletion_protection")),
            new SecurityCheck(BackupRetention, "Automated backups are kept long enough", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -BackupRetentionPeriod 7 -ApplyImmediately $true",
                "Point-in-time recovery reaches back only as far as the backup retention period; the check's threshold (MinimumBackupRetentionDays, 7 by default) is a setting of the audit.",
                CheckReference.FsbpControl("RDS.50")),
            new SecurityCheck(CopyTagsToSnapshot, "Tags are copied to snapshots", FindingSeverity.Low, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -CopyTagsToSnapshot $true",
                "Snapshots without the cluster's tags escape tag-based access policies, cost reports and clean-up.",
                CheckReference.FsbpControl("RDS.16"), CheckReference.ProwlerCheck("rds_cluster_copy_tags_to_snapshots")),
            new SecurityCheck(AuditLogging, "Advanced auditing is on (server_audit_logging, server_audit_events)", FindingSeverity.Medium, CheckEvidence.ClusterParameters,
                "Set server_audit_logging=1 and server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL in the cluster parameter group of {0} (Edit-RDSDBClusterParameterGroup)",
                "Advanced auditing records connections and statements; with server_audit_logging off or no events chosen, nothing is recorded.",
                CheckReference.FsbpControl("RDS.45")),
            new SecurityCheck(AuditLogExport, "The audit log is exported to CloudWatch Logs", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -CloudwatchLogsExportConfiguration_EnableLogType audit",
                "An audit log kept only on the instance is lost with it and cannot be searched or alarmed on.",
                CheckReference.FsbpControl("RDS.34"), CheckReference.ProwlerCheck("rds_cluster_integration_cloudwatch_logs")),
            new SecurityCheck(ErrorLogExport, "The error log is exported to CloudWatch Logs", FindingSeverity.Low, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -CloudwatchLogsExportConfiguration_EnableLogType error",
                "Failed logins and TLS handshake errors show in the error log; exported, they can be searched and alarmed on."),
            new SecurityCheck(SlowQueryLogExport, "The slow query log is exported to CloudWatch Logs", FindingSeverity.Low, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -CloudwatchLogsExportConfiguration_EnableLogType slowquery",
                "Slow queries are often the first sign of abuse (bulk reads, injected scans); exported, they can be searched and alarmed on."),
            new SecurityCheck(CustomMasterUsername, "The master user name is not a default (admin)", FindingSeverity.Medium, CheckEvidence.Cluster,
                "The master user name is chosen at creation: restore {0} from a snapshot with -MasterUsername <custom name>, or create a named administrator and stop using 'admin'",
                "A default administrator name is the first one an attacker tries; a custom one leaves them guessing both name and password.",
                CheckReference.FsbpControl("RDS.24"), CheckReference.ProwlerCheck("rds_cluster_default_admin")),
            new SecurityCheck(ManagedMasterPassword, "The master password is managed by RDS in Secrets Manager", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Edit-RDSDBCluster -DBClusterIdentifier {0} -ManageMasterUserPassword $true -ApplyImmediately $true",
                "With MasterUserSecret, RDS creates and rotates the master password in Secrets Manager, so no person or runbook holds it."),
            new SecurityCheck(AutoMinorVersionUpgrade, "Every instance takes automatic minor version upgrades", FindingSeverity.Medium, CheckEvidence.Instances,
                "Edit-RDSDBInstance -DBInstanceIdentifier <instance of {0}> -AutoMinorVersionUpgrade $true",
                "Minor versions carry security fixes; without automatic upgrades they wait for someone to apply them.",
                CheckReference.FsbpControl("RDS.13"), CheckReference.CisItem("2.3.2", "v3.0.0"), CheckReference.ProwlerCheck("rds_instance_minor_version_upgrade_enabled")),
            new SecurityCheck(EngineStandardSupport, "The engine version is in AWS standard support", FindingSeverity.Medium, CheckEvidence.Cluster,
                "Upgrade {0} to a supported Aurora MySQL version (Edit-RDSDBCluster -EngineVersion <version> -AllowMajorVersionUpgrade for a major upgrade) before its end of standard support",
                "After the end of standard support a version gets fixes only under paid Extended Support and is upgraded by AWS in the end; warns within 180 days of the date."),
            new SecurityCheck(NonDefaultPort, "The cluster does not listen on the default port 3306", FindingSeverity.Low, CheckEvidence.Cluster,
                "The port is changed with Edit-RDSDBCluster -DBClusterIdentifier {0} -Port <port>; update clients and security groups with it",
                "Scanners try 3306 first; another port keeps the cluster out of the cheapest scans (hardening, not protection).",
                CheckReference.FsbpControl("RDS.23"), CheckReference.ProwlerCheck("rds_cluster_non_default_port")),
            new SecurityCheck(CurrentCertificateAuthority, "No instance uses a CA that AWS has retired", FindingSeverity.Medium, CheckEvidence.Instances,
                "Edit-RDSDBInstance -DBInstanceIdentifier <instance of {0}> -CACertificateIdentifier rds-ca-rsa2048-g1, and give clients the global bundle (global-bundle.pem)",
                "AWS has moved RDS off rds-ca-2019: an instance still on it relies on a certificate chain AWS no longer maintains, whatever its date says."),
            new SecurityCheck(ProxyRequiresTls, "Every RDS Proxy in front of the cluster requires TLS", FindingSeverity.High, CheckEvidence.Proxies,
                "Edit-RDSDBProxy -DBProxyName <proxy of {0}> -RequireTLS $true",
                "A proxy that does not require TLS lets clients send passwords and data in clear text to it, whatever the cluster requires.",
                CheckReference.FsbpControl("RDS.43")),
        };

        /// <summary>The checks that name a control of <paramref name="framework"/> (FSBP, CIS or Prowler); an unknown framework is an error that lists the known ones.</summary>
        public static IReadOnlyList<SecurityCheck> ReferencedBy(IReadOnlyList<SecurityCheck> checks, string framework)
        {
            if (!CheckReference.Frameworks.Any(f => string.Equals(f, (framework ?? string.Empty).Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                throw new AuroraSecurityException("SecurityFrameworkUnknown", FailureKind.InvalidArgument,
                    $"No framework named '{framework}'. Known frameworks: {string.Join(", ", CheckReference.Frameworks)}.");
            }

            return checks.Where(c => c.IsReferencedBy(framework!)).ToList();
        }

        /// <summary>The check with this id (case-insensitive), or null.</summary>
        public static SecurityCheck? Find(string id) =>
            All.FirstOrDefault(c => string.Equals(c.Id, (id ?? string.Empty).Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The checks named, in catalogue order; every check when none are named. Unknown ids are an error that lists the valid ones.</summary>
        public static IReadOnlyList<SecurityCheck> Select(IEnumerable<string>? ids)
        {
            var wanted = (ids ?? Enumerable.Empty<string>()).Where(i => !string.IsNullOrWhiteSpace(i)).ToList();
            if (wanted.Count == 0) return All;
            var unknown = wanted.Where(i => Find(i) == null).ToList();
            if (unknown.Count > 0)
            {
                throw new AuroraSecurityException("SecurityCheckUnknown", FailureKind.InvalidArgument,
                    $"No security check with id {string.Join(", ", unknown.Select(u => "'" + u + "'"))}. Valid ids: {string.Join(", ", All.Select(c => c.Id))} (Get-AuroraSecurityCheck lists them).");
            }

            return All.Where(c => wanted.Any(w => string.Equals(w.Trim(), c.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        }
    }
}
