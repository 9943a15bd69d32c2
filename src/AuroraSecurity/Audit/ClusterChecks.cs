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
            [SecurityCheckCatalog.TlsVersion] = e => TlsVersion(e.TlsConfig!, e.Settings),
            [SecurityCheckCatalog.CipherSupport] = e => CipherSupport(e.TlsConfig!, e.Settings),
            [SecurityCheckCatalog.NoDheCipher] = e => NoDheCipher(e.TlsConfig!, e.Settings),
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
                Timestamp = new DateTimeOffset(DateTime.SpecifyKind(evidence.Now, DateTimeKind.Utc), TimeSpan.Zero),
                Cluster = cluster,
            };
        }

        private static CheckVerdict RequireSecureTransport(AuroraTlsConfig tls)
        {
            if (tls.RequireSecureTransport == true) return CheckVerdict.Pass($"require_secure_transport is ON ({Source(tls.RequireSecureTransportSource)}) in '{tls.ParameterGroupName}'.");
            if (tls.RequireSecureTransport == null)
            {
                return CheckVerdict.Warning($"Whether cluster parameter group '{tls.ParameterGroupName}' requires TLS is unknown: {UnknownAbout(tls, AuroraClusterService.RequireSecureTransportParameter)}.",
                    $"Get-AuroraTlsConfig -ClusterIdentifier {tls.ClusterIdentifier} -Verbose; if require_secure_transport is not ON, run Enable-AuroraSecureTransport -ClusterIdentifier {tls.ClusterIdentifier}");
            }

            if (AuroraTlsRules.TryFor(tls.AuroraMajorVersion)?.RequireSecureTransportAvailable == false)
            {
                return CheckVerdict.Fail($"Aurora MySQL version 1 ({tls.EngineVersion}) has no require_secure_transport parameter: clients may connect without TLS.",
                    $"Upgrade {tls.ClusterIdentifier} to Aurora MySQL version 2 or 3, then run Enable-AuroraSecureTransport -ClusterIdentifier {tls.ClusterIdentifier}");
            }

            return CheckVerdict.Fail($"require_secure_transport is OFF ({Source(tls.RequireSecureTransportSource)}) in '{tls.ParameterGroupName}': clients may connect without TLS.",
                tls.IsDefaultParameterGroup ? $"Enable-AuroraSecureTransport -ClusterIdentifier {tls.ClusterIdentifier} -CreateCustomGroup" : null);
        }

        private static CheckVerdict TlsVersion(AuroraTlsConfig tls, AuditSettings settings)
        {
            var allowedVersions = settings.AllowedTlsVersions.Count == 0 ? AuditSettings.Default.AllowedTlsVersions : settings.AllowedTlsVersions;
            var onlyTls12 = allowedVersions.All(v => v == "TLSv1.2");
            var byBaseline = onlyTls12 ? string.Empty : $" (the baseline's AllowedTlsVersions: {Join(allowedVersions)})";
            if (AuroraTlsRules.TryFor(tls.AuroraMajorVersion) is { TlsVersionSettable: false, CipherSuitesConfigurable: false }) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has neither tls_version nor configurable ciphers.");
            if (AuroraTlsRules.TryFor(tls.AuroraMajorVersion) is { TlsVersionSettable: false, CipherSuitesConfigurable: true })
            {
                if (!tls.SslCipherKnown) return UnknownCiphers(tls, "which TLS protocols the ciphers allow");
                var ciphers = EffectiveCiphers(tls);
                var old = ciphers.Where(c => CipherCatalog.Find(c)?.Protocol != "TLS 1.2").ToList();
                if (old.Count == 0)
                {
                    return CheckVerdict.Pass($"tls_version is not settable on Aurora MySQL 3; ssl_cipher ({CipherSource(tls)}) has TLS 1.2 ciphers only ({Join(ciphers)}), so TLS 1.0 and 1.1 cannot be negotiated.");
                }

                // A cipher older than TLS 1.2 can be negotiated over TLS 1.0 and 1.1 alike.
                if (allowedVersions.Contains("TLSv1") && allowedVersions.Contains("TLSv1.1"))
                {
                    return CheckVerdict.Pass($"tls_version is not settable on Aurora MySQL 3; ssl_cipher ({CipherSource(tls)}) allows TLS 1.0 and 1.1 through {Join(old)}, which the baseline allows{byBaseline}.");
                }

                return CheckVerdict.Warning(
                    $"tls_version is not settable on Aurora MySQL 3 ({tls.EngineVersion}), and ssl_cipher ({CipherSource(tls)}) allows ciphers that work over TLS 1.0 and 1.1: {Join(old)}. Restrict ssl_cipher to TLS 1.2 ciphers to refuse TLS 1.0 and 1.1.",
                    SetStrongCiphers(tls, ciphers));
            }

            if (!tls.TlsVersionKnown)
            {
                return CheckVerdict.Warning($"Which TLS protocols cluster parameter group '{tls.ParameterGroupName}' allows is unknown: {UnknownAbout(tls, AuroraClusterService.TlsVersionParameter)}.",
                    $"Get-AuroraTlsConfig -ClusterIdentifier {tls.ClusterIdentifier}; to be sure, run Set-AuroraTlsVersion -ClusterIdentifier {tls.ClusterIdentifier} -MinimumTlsVersion TLSv1.2");
            }

            var extra = tls.TlsProtocols.Where(p => !allowedVersions.Contains(p)).ToList();
            var value = tls.TlsVersion == null
                ? $"not set ({Source(tls.TlsVersionSource)}: TLSv1, TLSv1.1 and TLSv1.2 allowed)"
                : $"'{tls.TlsVersion}' ({Source(tls.TlsVersionSource)})";
            if (extra.Count == 0)
            {
                return CheckVerdict.Pass(onlyTls12 || tls.TlsProtocols.All(p => p == "TLSv1.2")
                    ? $"tls_version is {value}: only TLS 1.2 is allowed."
                    : $"tls_version is {value}: {Join(tls.TlsProtocols)} allowed, each of them allowed by the baseline{byBaseline}.");
            }

            return CheckVerdict.Fail(onlyTls12
                    ? $"tls_version is {value}: {Join(extra)} allowed besides TLS 1.2."
                    : $"tls_version is {value}: {Join(extra)} allowed, which the baseline does not allow{byBaseline}.",
                tls.IsDefaultParameterGroup ? $"Set-AuroraTlsVersion -ClusterIdentifier {tls.ClusterIdentifier} -MinimumTlsVersion TLSv1.2 -CreateCustomGroup" : null);
        }

        private static CheckVerdict CipherSupport(AuroraTlsConfig tls, AuditSettings settings)
        {
            if (!TryVersion(tls, out var version, out var unknownVersion)) return unknownVersion!;
            if (!AuroraTlsRules.For(version!.AuroraMajorVersion).CipherSuitesConfigurable) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has no configurable ssl_cipher.");
            if (!tls.SslCipherKnown) return UnknownCiphers(tls, "whether every cipher is supported");
            var allowedCiphers = settings.AllowedCiphers;
            if (allowedCiphers.Count > 0)
            {
                // The baseline names the ciphers the team allows: any other value (the engine's default list included) is a finding.
                var outside = EffectiveCiphers(tls).Where(c => !allowedCiphers.Contains(CipherCatalog.Find(c)?.Name ?? c, StringComparer.OrdinalIgnoreCase)).ToList();
                if (outside.Count > 0)
                {
                    var keep = allowedCiphers.Where(n => CipherCatalog.Find(n) is AuroraCipher c && CipherCatalog.SupportFor(c, version).Supported).ToList();
                    return CheckVerdict.Fail($"ssl_cipher ({CipherSource(tls)}) allows ciphers the baseline's AllowedCiphers does not: {Join(outside)} (allowed: {Join(allowedCiphers)}).",
                        keep.Count > 0
                            ? $"Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher {string.Join(", ", keep)}" + (tls.IsDefaultParameterGroup ? " -CreateCustomGroup" : string.Empty)
                            : $"None of the baseline's AllowedCiphers is supported by {version.AuroraVersion}: allow one that Get-AuroraSupportedCipher -EngineVersion {tls.EngineVersion} lists as Supported");
                }
            }

            if (tls.SslCipher.Count == 0)
            {
                return CheckVerdict.Pass($"ssl_cipher has no value in '{tls.ParameterGroupName}' ({Source(tls.SslCipherSource)}): the engine uses its own default list, which holds only ciphers {version.AuroraVersion} supports.");
            }

            // The value is judged whatever its Source: an engine-default or system list is what the instances are given.
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
                if (!support.Supported) unsupported.Add($"{name} ({support.Reason?.TrimEnd('.')})");
            }

            if (unsupported.Count == 0)
            {
                return CheckVerdict.Pass($"Every ssl_cipher value ({CipherSource(tls)}) is supported by {version.AuroraVersion}: {Join(tls.SslCipher)}." +
                    (allowedCiphers.Count > 0 ? " Each is one of the baseline's AllowedCiphers." : string.Empty));
            }

            var supported = tls.SslCipher.Where(n => CipherCatalog.Find(n) is AuroraCipher c && CipherCatalog.SupportFor(c, version).Supported).ToList();
            return CheckVerdict.Fail($"ssl_cipher ({CipherSource(tls)}) has values {version.AuroraVersion} does not support: {string.Join("; ", unsupported)}.",
                supported.Count > 0
                    ? $"Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher {string.Join(", ", supported)}" + (tls.IsDefaultParameterGroup ? " -CreateCustomGroup" : string.Empty)
                    : $"Get-AuroraSupportedCipher -EngineVersion {tls.EngineVersion} | Where-Object Supported; then Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher <supported ciphers>");
        }

        private static CheckVerdict NoDheCipher(AuroraTlsConfig tls, AuditSettings settings)
        {
            if (!TryVersion(tls, out var version, out var unknownVersion)) return unknownVersion!;
            if (!AuroraTlsRules.For(version!.AuroraMajorVersion).CipherSuitesConfigurable) return CheckVerdict.NotApplicable($"Aurora MySQL 1 ({tls.EngineVersion}) has no configurable ssl_cipher.");
            var ecdhe = CipherCatalog.All.First(c => c.Availability == CipherAvailability.Ecdhe);
            var ecdheSupport = CipherCatalog.SupportFor(ecdhe, version);
            if (!ecdheSupport.Supported)
            {
                return CheckVerdict.NotApplicable($"ECDHE ciphers are not available on {version.AuroraVersion}: {ecdheSupport.Reason} DHE ciphers are the forward-secret choice there.");
            }

            if (!tls.SslCipherKnown) return UnknownCiphers(tls, "whether DHE ciphers are allowed");
            var ciphers = EffectiveCiphers(tls);
            var allDhe = ciphers.Where(c => CipherCatalog.Find(c)?.Availability == CipherAvailability.Dhe).ToList();
            // DHE ciphers the baseline lists in AllowedCiphers are the team's choice, not a finding.
            var dhe = allDhe.Where(c => !settings.AllowedCiphers.Contains(CipherCatalog.Find(c)?.Name ?? c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (allDhe.Count == 0) return CheckVerdict.Pass($"ssl_cipher ({CipherSource(tls)}) has no DHE cipher: {Join(ciphers)}.");
            if (dhe.Count == 0) return CheckVerdict.Pass($"ssl_cipher ({CipherSource(tls)}) has DHE ciphers only the baseline's AllowedCiphers allows: {Join(allDhe)}.");
            return CheckVerdict.Fail($"ssl_cipher ({CipherSource(tls)}) allows DHE ciphers although {version.AuroraVersion} supports ECDHE: {Join(dhe)}.",
                SetStrongCiphers(tls, ciphers));
        }

        private static CheckVerdict NoPendingReboot(AuroraCluster cluster)
        {
            var pending = cluster.Members.Where(m => m.PendingReboot).Select(m => m.InstanceIdentifier).ToList();
            var unknown = cluster.Members.Where(m => !m.ParameterGroupStatusKnown).Select(m => m.InstanceIdentifier).ToList();
            if (pending.Count > 0)
            {
                return CheckVerdict.Warning($"{pending.Count} of {cluster.Members.Count} instances still run older values of static parameters (ssl_cipher, tls_version) of '{cluster.ParameterGroupName}': {Join(pending)}." +
                    (unknown.Count > 0 ? $" RDS gave no DBClusterParameterGroupStatus for {Join(unknown)}." : string.Empty),
                    $"Reboot {Join(pending)} one at a time in a maintenance window (Restart-RDSDBInstance in AWS.Tools), the writer last");
            }

            if (unknown.Count > 0)
            {
                return CheckVerdict.Warning($"Whether {Join(unknown)} run the current values of '{cluster.ParameterGroupName}' is unknown: RDS gave no DBClusterParameterGroupStatus for {(unknown.Count == 1 ? "it" : "them")}.",
                    "Run the audit again; if the status stays unknown, read it with Get-RDSDBCluster (AWS.Tools) or aws rds describe-db-clusters.");
            }

            return CheckVerdict.Pass($"All {cluster.Members.Count} instances run the current values of '{cluster.ParameterGroupName}'.");
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

        private static CheckVerdict IamAuthentication(AuroraCluster cluster)
        {
            switch (cluster.IamDatabaseAuthenticationEnabled)
            {
                case true:
                    return CheckVerdict.Pass("IAM database authentication is enabled.");
                case false:
                    return cluster.PendingIamDatabaseAuthenticationEnabled == true
                        ? CheckVerdict.Warning("IAM database authentication is disabled; enabling it is pending (PendingModifiedValues).", "Run the audit again once RDS has applied the pending modification.")
                        : CheckVerdict.Fail("IAM database authentication is disabled: every login uses a stored password.");
                default:
                    return CheckVerdict.Warning("Whether IAM database authentication is enabled is unknown: RDS's answer has no IAMDatabaseAuthenticationEnabled.",
                        $"Run the audit again; if it stays unknown, read it with aws rds describe-db-clusters --db-cluster-identifier {cluster.ClusterIdentifier}.");
            }
        }

        private static CheckVerdict StorageEncrypted(AuroraCluster cluster)
        {
            if (string.Equals(cluster.Region, SecurityCheckCatalog.RegionWithoutEncryption, StringComparison.OrdinalIgnoreCase))
            {
                return CheckVerdict.NotApplicable(ControlPlaneChecks.NoEncryptionInRegion);
            }

            switch (cluster.StorageEncrypted)
            {
                case true:
                    return CheckVerdict.Pass("Storage is encrypted (StorageEncrypted true).");
                case false:
                    return CheckVerdict.Fail("Storage is not encrypted (StorageEncrypted false): data, backups and snapshots are unencrypted at rest.");
                default:
                    return CheckVerdict.Warning("Whether storage is encrypted is unknown: RDS's answer has no StorageEncrypted.",
                        $"Run the audit again; if it stays unknown, read it with aws rds describe-db-clusters --db-cluster-identifier {cluster.ClusterIdentifier}.");
            }
        }

        // One command that satisfies both TLS 1.2-only and no-DHE: the ECDHE TLS 1.2 ciphers already allowed, or the GCM pair.
        private static string SetStrongCiphers(AuroraTlsConfig tls, IReadOnlyList<string> ciphers)
        {
            var keep = ciphers.Where(c => CipherCatalog.Find(c) is AuroraCipher k && k.Availability == CipherAvailability.Ecdhe && k.Protocol == "TLS 1.2").ToList();
            if (keep.Count == 0) keep = new List<string> { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" };
            return $"Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher {string.Join(", ", keep)}" + (tls.IsDefaultParameterGroup ? " -CreateCustomGroup" : string.Empty);
        }

        // A listed value is what the instances are given, whatever its Source; with no value the engine's own default list applies,
        // which holds only the ciphers the release supports.
        private static IReadOnlyList<string> EffectiveCiphers(AuroraTlsConfig tls)
        {
            if (tls.SslCipher.Count > 0 || !AuroraEngineVersion.TryParse(tls.EngineVersion, out var version, out _)) return tls.SslCipher;
            return CipherCatalog.All.Where(c => CipherCatalog.SupportFor(c, version!).Supported).Select(c => c.Name).ToList();
        }

        private static string CipherSource(AuroraTlsConfig tls) =>
            tls.SslCipher.Count == 0 ? "no value: the engine's default list" : Source(tls.SslCipherSource);

        /// <summary>Source only colours the message: user-set, the engine default, a system value, or not given.</summary>
        private static string Source(string? source)
        {
            switch (source)
            {
                case "user": return "set in the group";
                case "engine-default": return "engine default";
                case "system": return "system value";
                case null: return "source not given";
                default: return "source " + source;
            }
        }

        private static string UnknownAbout(AuroraTlsConfig tls, string parameter)
        {
            var about = tls.UnknownFields.Where(u => u.StartsWith(parameter + ":", StringComparison.Ordinal)).ToList();
            return about.Count > 0 ? string.Join("; ", about) : parameter + ": not reported";
        }

        private static CheckVerdict UnknownCiphers(AuroraTlsConfig tls, string what) =>
            CheckVerdict.Warning($"Cannot tell {what} in cluster parameter group '{tls.ParameterGroupName}': {UnknownAbout(tls, AuroraClusterService.SslCipherParameter)}.",
                $"Get-AuroraTlsConfig -ClusterIdentifier {tls.ClusterIdentifier}; to be sure, set the list with Set-AuroraCipherSuite -ClusterIdentifier {tls.ClusterIdentifier} -Cipher ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256");

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
