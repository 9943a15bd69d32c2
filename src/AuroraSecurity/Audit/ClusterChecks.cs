using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AuroraSecurity.Clusters;
using AuroraSecurity.Engine;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Audit
{
    /// <summary>Evaluates the catalogue's checks against the evidence read for one cluster; no I/O.</summary>
    public static class ClusterChecks
    {
        private static readonly Dictionary<string, Func<ClusterEvidence, CheckVerdict>> Rules = new Dictionary<string, Func<ClusterEvidence, CheckVerdict>>(StringComparer.Ordinal)
        {
            [SecurityCheckCatalog.RequireSecureTransport] = e => RequireSecureTransport(e.TlsConfig!),
            [SecurityCheckCatalog.TlsVersion] = e => TlsVersion(e.TlsConfig!),
            [SecurityCheckCatalog.CipherSupport] = e => CipherSupport(e.TlsConfig!),
            [SecurityCheckCatalog.NoDheCipher] = e => NoDheCipher(e.TlsConfig!),
            [SecurityCheckCatalog.NoPendingReboot] = e => NoPendingReboot(e.Cluster),
            [SecurityCheckCatalog.CaCertificate] = CaCertificate,
            [SecurityCheckCatalog.CustomParameterGroup] = e => CustomParameterGroup(e.Cluster),
            [SecurityCheckCatalog.IamAuthentication] = e => IamAuthentication(e.Cluster),
            [SecurityCheckCatalog.StorageEncrypted] = e => StorageEncrypted(e.Cluster),
            [SecurityCheckCatalog.SnapshotsEncrypted] = ControlPlaneChecks.SnapshotsEncrypted,
            [SecurityCheckCatalog.SnapshotsNotPublic] = ControlPlaneChecks.SnapshotsNotPublic,
            [SecurityCheckCatalog.NotPubliclyAccessible] = ControlPlaneChecks.NotPubliclyAccessible,
            [SecurityCheckCatalog.NoOpenSecurityGroup] = ControlPlaneChecks.NoOpenSecurityGroup,
            [SecurityCheckCatalog.NoBurstableClass] = ControlPlaneChecks.NoBurstableClass,
            [SecurityCheckCatalog.DeletionProtection] = ControlPlaneChecks.DeletionProtection,
            [SecurityCheckCatalog.BackupRetention] = ControlPlaneChecks.BackupRetention,
            [SecurityCheckCatalog.CopyTagsToSnapshot] = ControlPlaneChecks.CopyTagsToSnapshot,
            [SecurityCheckCatalog.AuditLogging] = ControlPlaneChecks.AuditLogging,
            [SecurityCheckCatalog.AuditLogExport] = e => ControlPlaneChecks.LogExport(e, "audit"),
            [SecurityCheckCatalog.ErrorLogExport] = e => ControlPlaneChecks.LogExport(e, "error"),
            [SecurityCheckCatalog.SlowQueryLogExport] = e => ControlPlaneChecks.LogExport(e, "slowquery"),
            [SecurityCheckCatalog.CustomMasterUsername] = ControlPlaneChecks.CustomMasterUsername,
            [SecurityCheckCatalog.ManagedMasterPassword] = ControlPlaneChecks.ManagedMasterPassword,
            [SecurityCheckCatalog.AutoMinorVersionUpgrade] = ControlPlaneChecks.AutoMinorVersionUpgrade,
            [SecurityCheckCatalog.EngineStandardSupport] = ControlPlaneChecks.EngineStandardSupport,
            [SecurityCheckCatalog.NonDefaultPort] = ControlPlaneChecks.NonDefaultPort,
            [SecurityCheckCatalog.CurrentCertificateAuthority] = ControlPlaneChecks.CurrentCertificateAuthority,
            [SecurityCheckCatalog.ProxyRequiresTls] = ControlPlaneChecks.ProxyRequiresTls,
        };

        /// <summary>One finding for the check on the cluster: its verdict, or Error with the reason when the evidence could not be read.</summary>
        public static Finding Evaluate(SecurityCheck check, ClusterEvidence evidence)
        {
            if (check == null) throw new ArgumentNullException(nameof(check));
            if (evidence == null) throw new ArgumentNullException(nameof(evidence));
            var cluster = evidence.Cluster;
            CheckVerdict verdict;
            var missing = evidence.ErrorFor(check.Evidence);
            var gap = SqlAndWireRules.Gap(check, evidence);
            if (gap != null)
            {
                verdict = gap;
            }
            else if (missing != null)
            {
                verdict = new CheckVerdict(FindingStatus.Error, missing.Message, "Fix the cause above and run the audit again.");
            }
            else
            {
                try
                {
                    verdict = Rules.TryGetValue(check.Id, out var rule) ? rule(evidence) : SqlAndWireRules.Rules[check.Id](evidence);
                }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    verdict = new CheckVerdict(FindingStatus.Error, $"The check could not be evaluated: {e.Message}", "Run the audit again; report the reason if it persists.");
                }
            }

            return new Finding
            {
                CheckId = check.Id,
                Title = check.Title,
                Severity = check.Severity,
                Status = verdict.Status,
                Reason = verdict.Reason,
                Recommendation = verdict.Status == FindingStatus.Pass || verdict.Status == FindingStatus.NotApplicable
                    ? string.Empty
                    : verdict.Recommendation ?? check.RecommendationFor(cluster.ClusterIdentifier),
                Target = string.IsNullOrEmpty(cluster.DBClusterArn) ? cluster.ClusterIdentifier : cluster.DBClusterArn!,
                ClusterIdentifier = cluster.ClusterIdentifier,
                DBClusterArn = cluster.DBClusterArn,
                Region = cluster.Region,
                EngineVersion = cluster.EngineVersion,
                Timestamp = evidence.Now,
                Cluster = cluster,
            };
        }

        private static CheckVerdict RequireSecureTransport(AuroraTlsConfig tls)
        {
            if (tls.RequireSecureTransport) return CheckVerdict.Pass($"require_secure_transport is ON (source {tls.RequireSecureTransportSource ?? "unknown"}) in '{tls.ParameterGroupName}'.");
            if (tls.RequireSecureTransportSource == null)
            {
                return CheckVerdict.Fail($"Cluster parameter group '{tls.ParameterGroupName}' has no require_secure_transport (engine version {tls.EngineVersion}): clients may connect without TLS.",
                    $"Upgrade {tls.ClusterIdentifier} to Aurora MySQL 2 or 3, then run Enable-AuroraSecureTransport -ClusterIdentifier {tls.ClusterIdentifier}");
            }

            return CheckVerdict.Fail($"require_secure_transport is OFF (source {tls.RequireSecureTransportSource}) in '{tls.ParameterGroupName}': clients may connect without TLS.",
                tls.IsDefaultParameterGroup ? $"Enable-AuroraSecureTransport -ClusterIdentifier {tls.ClusterIdentifier} -CreateCustomGroup" : null);
        }

        private static CheckVerdict TlsVersion(AuroraTlsConfig tls)
        {
            if (tls.AuroraMajorVersion == 1) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has neither tls_version nor configurable ciphers.");
            if (tls.AuroraMajorVersion == 3)
            {
                var ciphers = EffectiveCiphers(tls);
                var old = ciphers.Where(c => CipherCatalog.Find(c)?.Protocol != "TLS 1.2").ToList();
                if (old.Count == 0)
                {
                    return CheckVerdict.Pass($"tls_version is not settable on Aurora MySQL 3; ssl_cipher has TLS 1.2 ciphers only ({Join(ciphers)}), so TLS 1.0 and 1.1 cannot be negotiated.");
                }

                return CheckVerdict.Warning(
                    $"tls_version is not settable on Aurora MySQL 3 ({tls.EngineVersion}), and ssl_cipher ({SourceOf(tls)}) allows ciphers that work over TLS 1.0 and 1.1: {Join(old)}. Restrict ssl_cipher to TLS 1.2 ciphers to refuse TLS 1.0 and 1.1.",
                    SetStrongCiphers(tls, ciphers));
            }

            var allowed = tls.TlsProtocols.Where(p => p != "TLSv1.2").ToList();
            var value = tls.TlsVersion == null ? "not set (TLSv1, TLSv1.1 and TLSv1.2 allowed)" : $"'{tls.TlsVersion}' (source {tls.TlsVersionSource ?? "unknown"})";
            if (allowed.Count == 0) return CheckVerdict.Pass($"tls_version is {value}: only TLS 1.2 is allowed.");
            return CheckVerdict.Fail($"tls_version is {value}: {Join(allowed)} allowed besides TLS 1.2.",
                tls.IsDefaultParameterGroup ? $"Set-AuroraTlsVersion -ClusterIdentifier {tls.ClusterIdentifier} -TlsVersion TLSv1.2 -CreateCustomGroup" : null);
        }

        private static CheckVerdict CipherSupport(AuroraTlsConfig tls)
        {
            if (!TryVersion(tls, out var version, out var unknown)) return unknown!;
            if (version!.AuroraMajorVersion == 1) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has no configurable ssl_cipher.");
            if (!IsUserSet(tls))
            {
                return CheckVerdict.Pass($"ssl_cipher is not set in '{tls.ParameterGroupName}' (source {tls.SslCipherSource ?? "none"}): the engine uses its own default list, which holds only ciphers {version.AuroraVersion} supports.");
            }

            var unsupported = new List<string>();
            foreach (var name in tls.SslCipher)
            {
                var cipher = CipherCatalog.Find(name);
                if (cipher == null)
                {
                    unsupported.Add($"{name} (not a cipher Aurora MySQL accepts in ssl_cipher)");
                    continue;
                }

                var support = CipherCatalog.SupportFor(cipher, version);
                if (!support.Supported) unsupported.Add($"{name} ({support.Reason})");
            }

            if (unsupported.Count == 0) return CheckVerdict.Pass($"Every ssl_cipher value is supported by {version.AuroraVersion}: {Join(tls.SslCipher)}.");
            var supported = tls.SslCipher.Where(n => CipherCatalog.Find(n) is AuroraCipher c && CipherCatalog.SupportFor(c, version).Supported).ToList();
            return CheckVerdict.Fail($"ssl_cipher has values {version.AuroraVersion} does not support: {string.Join("; ", unsupported)}.",
                supported.Count > 0
                    ? $"Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher {string.Join(", ", supported)}"
                    : $"Get-AuroraSupportedCipher -EngineVersion {tls.EngineVersion} | Where-Object Supported; then Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher <supported ciphers>");
        }

        private static CheckVerdict NoDheCipher(AuroraTlsConfig tls)
        {
            if (!TryVersion(tls, out var version, out var unknown)) return unknown!;
            if (version!.AuroraMajorVersion == 1) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has no configurable ssl_cipher.");
            var ecdhe = CipherCatalog.All.First(c => c.Availability == CipherAvailability.Ecdhe);
            var ecdheSupport = CipherCatalog.SupportFor(ecdhe, version);
            if (!ecdheSupport.Supported)
            {
                return CheckVerdict.NotApplicable($"ECDHE ciphers are not available on {version.AuroraVersion}: {ecdheSupport.Reason} DHE ciphers are the forward-secret choice there.");
            }

            var ciphers = EffectiveCiphers(tls);
            var dhe = ciphers.Where(c => CipherCatalog.Find(c)?.Availability == CipherAvailability.Dhe).ToList();
            if (dhe.Count == 0) return CheckVerdict.Pass($"ssl_cipher ({SourceOf(tls)}) has no DHE cipher: {Join(ciphers)}.");
            return CheckVerdict.Fail($"ssl_cipher ({SourceOf(tls)}) allows DHE ciphers although {version.AuroraVersion} supports ECDHE: {Join(dhe)}.",
                SetStrongCiphers(tls, ciphers));
        }

        private static CheckVerdict NoPendingReboot(AuroraCluster cluster)
        {
            var pending = cluster.Members.Where(m => m.PendingReboot).Select(m => m.InstanceIdentifier).ToList();
            if (pending.Count == 0) return CheckVerdict.Pass($"All {cluster.Members.Count} instances run the current values of '{cluster.ParameterGroupName}'.");
            return CheckVerdict.Warning($"{pending.Count} of {cluster.Members.Count} instances still run older values of static parameters (ssl_cipher, tls_version) of '{cluster.ParameterGroupName}': {Join(pending)}.",
                $"Reboot {Join(pending)} one at a time in a maintenance window (Restart-RDSDBInstance in AWS.Tools), the writer last");
        }

        private static CheckVerdict CaCertificate(ClusterEvidence evidence)
        {
            var instances = evidence.Instances ?? new Rds.RdsDbInstance[0];
            if (instances.Count == 0) return CheckVerdict.NotApplicable($"Cluster '{evidence.Cluster.ClusterIdentifier}' has no DB instances.");
            var expired = new List<string>();
            var expiring = new List<string>();
            var unknown = new List<string>();
            var fine = new List<string>();
            foreach (var instance in instances.OrderBy(i => i.DBInstanceIdentifier, StringComparer.Ordinal))
            {
                var ca = instance.CACertificateIdentifier ?? "unknown CA";
                if (instance.CertificateValidTill is not DateTime till)
                {
                    unknown.Add($"{instance.DBInstanceIdentifier} ({ca}, no expiry reported)");
                    continue;
                }

                till = till.ToUniversalTime();
                var text = $"{instance.DBInstanceIdentifier} ({ca}, valid till {till.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
                if (till <= evidence.Now) expired.Add(text);
                else if (till <= evidence.Now.AddDays(evidence.Settings.CertificateWarningDays)) expiring.Add(text);
                else fine.Add(text);
            }

            var days = evidence.Settings.CertificateWarningDays;
            if (expired.Count > 0) return CheckVerdict.Fail($"Expired CA certificate on {Join(expired)}." + (expiring.Count > 0 ? $" Expiring within {days} days: {Join(expiring)}." : string.Empty));
            if (expiring.Count > 0) return CheckVerdict.Warning($"CA certificate expires within {days} days on {Join(expiring)}.");
            if (unknown.Count > 0) return CheckVerdict.Warning($"RDS reported no certificate expiry for {Join(unknown)}.");
            return CheckVerdict.Pass($"Every instance's CA certificate is valid for more than {evidence.Settings.CertificateWarningDays} days: {Join(fine)}.");
        }

        private static CheckVerdict CustomParameterGroup(AuroraCluster cluster)
        {
            var group = cluster.ParameterGroupName;
            if (string.IsNullOrEmpty(group)) return CheckVerdict.Warning($"RDS reports no cluster parameter group for '{cluster.ClusterIdentifier}' (status {cluster.Status ?? "unknown"}).", "Run the audit again when the cluster is available.");
            if (group!.StartsWith("default.", StringComparison.Ordinal))
            {
                return CheckVerdict.Fail($"The cluster uses the default group '{group}'. RDS never modifies default parameter groups, so require_secure_transport, tls_version and ssl_cipher cannot be changed until the cluster has a custom group.");
            }

            return CheckVerdict.Pass($"The cluster uses the custom group '{group}'.");
        }

        private static CheckVerdict IamAuthentication(AuroraCluster cluster) =>
            cluster.IamDatabaseAuthenticationEnabled
                ? CheckVerdict.Pass("IAM database authentication is enabled.")
                : CheckVerdict.Fail("IAM database authentication is disabled: every login uses a stored password.");

        private static CheckVerdict StorageEncrypted(AuroraCluster cluster) =>
            string.Equals(cluster.Region, SecurityCheckCatalog.RegionWithoutEncryption, StringComparison.OrdinalIgnoreCase)
                ? CheckVerdict.NotApplicable(ControlPlaneChecks.NoEncryptionInRegion)
            : cluster.StorageEncrypted
                ? CheckVerdict.Pass("Storage is encrypted (StorageEncrypted true).")
                : CheckVerdict.Fail("Storage is not encrypted (StorageEncrypted false): data, backups and snapshots are unencrypted at rest.");

        // One command that satisfies both TLS 1.2-only and no-DHE: the ECDHE TLS 1.2 ciphers already allowed, or the GCM pair.
        private static string SetStrongCiphers(AuroraTlsConfig tls, IReadOnlyList<string> ciphers)
        {
            var keep = ciphers.Where(c => CipherCatalog.Find(c) is AuroraCipher k && k.Availability == CipherAvailability.Ecdhe && k.Protocol == "TLS 1.2").ToList();
            if (keep.Count == 0) keep = new List<string> { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" };
            return $"Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher {string.Join(", ", keep)}" + (tls.IsDefaultParameterGroup ? " -CreateCustomGroup" : string.Empty);
        }

        // Unset ssl_cipher lists every cipher of the family; the engine uses only those the release supports.
        private static IReadOnlyList<string> EffectiveCiphers(AuroraTlsConfig tls)
        {
            if (IsUserSet(tls) || !AuroraEngineVersion.TryParse(tls.EngineVersion, out var version, out _)) return tls.SslCipher;
            var list = tls.SslCipher.Count > 0 ? tls.SslCipher : CipherCatalog.All.Select(c => c.Name).ToList();
            return list.Where(n => CipherCatalog.Find(n) is AuroraCipher c && CipherCatalog.SupportFor(c, version!).Supported).ToList();
        }

        private static bool IsUserSet(AuroraTlsConfig tls) => string.Equals(tls.SslCipherSource, "user", StringComparison.Ordinal);

        private static string SourceOf(AuroraTlsConfig tls) => IsUserSet(tls) ? "set in the group" : "engine default";

        private static bool TryVersion(AuroraTlsConfig tls, out AuroraEngineVersion? version, out CheckVerdict? verdict)
        {
            verdict = null;
            if (AuroraEngineVersion.TryParse(tls.EngineVersion, out version, out var error)) return true;
            verdict = CheckVerdict.Warning($"The engine version '{tls.EngineVersion}' is not one the cipher table knows ({error}); ciphers were not checked.", $"Get-AuroraSupportedCipher -EngineVersion <aurora version>");
            return false;
        }

        private static string Join(IEnumerable<string> items) => string.Join(", ", items);
    }
}
