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

        /// <summary>Days before a CA certificate's expiry from which the check warns.</summary>
        public const int CertificateWarningDays = 30;

        /// <summary>Every check: those read from RDS, then those that need SQL evidence, then those that need the endpoint probe.</summary>
        public static IReadOnlyList<SecurityCheck> All { get; } = RdsChecks().Concat(SqlChecks()).Concat(WireChecks()).ToList();

        private static IEnumerable<SecurityCheck> RdsChecks() => new[]
        {
            new SecurityCheck(RequireSecureTransport, "Connections must use TLS (require_secure_transport)", FindingSeverity.High, CheckEvidence.TlsConfig,
                "Enable-AuroraSecureTransport -ClusterIdentifier {0}",
                "require_secure_transport is OFF by default: clients may then connect without encryption. It is dynamic, so turning it ON needs no reboot."),
            new SecurityCheck(TlsVersion, "TLS 1.0 and 1.1 are not allowed", FindingSeverity.Medium, CheckEvidence.TlsConfig,
                "Set-AuroraTlsVersion -ClusterIdentifier {0} -TlsVersion TLSv1.2",
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
                "Clients that verify the server certificate cannot connect once the instance's CA certificate has expired."),
            new SecurityCheck(CustomParameterGroup, "The cluster uses a custom cluster parameter group", FindingSeverity.Low, CheckEvidence.Cluster,
                "Enable-AuroraSecureTransport -ClusterIdentifier {0} -CreateCustomGroup",
                "RDS never modifies a default parameter group, so no TLS setting can be changed while the cluster uses one."),
            new SecurityCheck(IamAuthentication, "IAM database authentication is enabled", FindingSeverity.Low, CheckEvidence.Cluster,
                "Enable-AuroraIamAuthentication -ClusterIdentifier {0}",
                "IAM authentication lets applications log in with short-lived tokens instead of stored passwords; informational."),
            new SecurityCheck(StorageEncrypted, "Storage is encrypted at rest", FindingSeverity.High, CheckEvidence.Cluster,
                "Encryption is chosen at creation: restore {0} from an encrypted snapshot copy (Copy-RDSDBClusterSnapshot -KmsKeyId) and move clients to the new cluster",
                "An unencrypted cluster leaves its storage, backups and snapshots unencrypted."),
        };

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
