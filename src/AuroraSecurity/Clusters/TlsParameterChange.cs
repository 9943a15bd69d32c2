using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Rds;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Clusters
{
    /// <summary>One wanted value of a TLS cluster parameter, with the rules for which clusters may take it.</summary>
    public sealed class TlsParameterChange
    {
        private readonly Func<RdsParameter?, string> _valueFor;
        private readonly Func<RdsParameter?, bool> _holds;
        private readonly Func<AuroraCluster, string?> _refusalFor;

        private TlsParameterChange(string parameterName, string summary, string note, Func<RdsParameter?, string> valueFor, Func<RdsParameter?, bool> holds, Func<AuroraCluster, string?> refusalFor)
        {
            ParameterName = parameterName;
            Summary = summary;
            Note = note;
            _valueFor = valueFor;
            _holds = holds;
            _refusalFor = refusalFor;
        }

        /// <summary>require_secure_transport, tls_version or ssl_cipher.</summary>
        public string ParameterName { get; }

        /// <summary>The change in words ("require_secure_transport ON").</summary>
        public string Summary { get; }

        /// <summary>What the change means for clients, said to the user with the result.</summary>
        public string Note { get; }

        /// <summary>Turns require_secure_transport on or off.</summary>
        public static TlsParameterChange RequireSecureTransport(bool on) => new TlsParameterChange(
            AuroraClusterService.RequireSecureTransportParameter,
            "require_secure_transport " + (on ? "ON" : "OFF"),
            on
                ? "Connections without TLS are refused with error 3159 (Connections using insecure transport are prohibited while --require_secure_transport=ON)."
                : "Connections without TLS are accepted: clients may send passwords and data unencrypted.",
            meta => BooleanSpelling(meta, on),
            current => CurrentOnOff(current) == on,
            cluster => AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.RequireSecureTransportAvailable == false
                ? $"Cluster '{cluster.ClusterIdentifier}' runs Aurora MySQL version 1 ({cluster.EngineVersion}), which has no require_secure_transport parameter; it exists on version 2 and 3."
                : null);

        /// <summary>Sets tls_version to the lowest protocol allowed (TLSv1.2, TLSv1.1 or TLSv1); Aurora MySQL 2 only.</summary>
        public static TlsParameterChange TlsVersion(string lowestProtocol)
        {
            var value = AuroraTlsRules.NormalizeTlsVersion(lowestProtocol);
            var permitted = AuroraTlsRules.ProtocolsPermittedBy(value);
            return new TlsParameterChange(
                AuroraClusterService.TlsVersionParameter,
                "tls_version " + value,
                (permitted.Any(p => p != "TLSv1.2")
                    ? $"The cluster accepts {string.Join(", ", permitted)}: this lowers the TLS floor below TLS 1.2, and TLS 1.0 and 1.1 are deprecated protocols."
                    : $"The cluster accepts {string.Join(", ", permitted)} only.") + " tls_version is static: it applies at each instance's next reboot.",
                _ => value,
                current => !string.IsNullOrWhiteSpace(current?.ParameterValue) && SameProtocols(current!.ParameterValue!, permitted),
                cluster => AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.TlsVersionSettable == true ? null : TlsVersionRefusal(cluster));
        }

        /// <summary>Sets ssl_cipher to the given ciphers; unknown names throw TlsCipherUnknown, listing the valid ones.</summary>
        public static TlsParameterChange SslCipher(IEnumerable<string> names)
        {
            var ciphers = new List<AuroraCipher>();
            foreach (var name in names ?? throw new ArgumentNullException(nameof(names)))
            {
                foreach (var part in (name ?? string.Empty).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0))
                {
                    var cipher = CipherCatalog.Get(part);
                    if (!ciphers.Contains(cipher)) ciphers.Add(cipher);
                }
            }

            if (ciphers.Count == 0) throw new ArgumentException($"Name at least one cipher. Valid ciphers: {CipherCatalog.NameList}.", nameof(names));
            var value = string.Join(",", ciphers.Select(c => c.Name));
            return new TlsParameterChange(
                AuroraClusterService.SslCipherParameter,
                "ssl_cipher " + value,
                "The instances accept only these ciphers after their next reboot (ssl_cipher is static: pending-reboot).",
                _ => value,
                current => SameList(current?.ParameterValue, ciphers.Select(c => c.Name)),
                cluster => CipherRefusal(cluster, ciphers));
        }

        /// <summary>Why the cluster cannot take this value (engine version rules), or null when it can.</summary>
        public string? RefusalFor(AuroraCluster cluster) => _refusalFor(cluster ?? throw new ArgumentNullException(nameof(cluster)));

        /// <summary>True when the group's current parameter already has the wanted value.</summary>
        public bool HoldsIn(RdsParameter? current) => _holds(current);

        /// <summary>The modification to send: the value in the spelling the parameter's metadata allows, applied as its ApplyType permits.</summary>
        public RdsParameter ModificationFor(RdsParameter metadata)
        {
            if (metadata == null) throw new ArgumentNullException(nameof(metadata));
            return new RdsParameter(ParameterName, _valueFor(metadata), ApplyMethodFor(metadata));
        }

        /// <summary>
        /// immediate only for dynamic parameters; everything else waits for a reboot. When RDS leaves ApplyType out, the guide's
        /// facts decide for the TLS parameters (require_secure_transport dynamic; tls_version and ssl_cipher static); any other
        /// parameter waits for a reboot, which RDS accepts for dynamic and static alike.
        /// </summary>
        public static string ApplyMethodFor(RdsParameter metadata)
        {
            var applyType = metadata?.ApplyType ?? KnownApplyType(metadata?.ParameterName);
            return string.Equals(applyType, "dynamic", StringComparison.OrdinalIgnoreCase) ? RdsParameter.ApplyImmediate : RdsParameter.ApplyPendingReboot;
        }

        /// <summary>The apply type the Aurora MySQL User Guide gives the TLS parameters; null for others.</summary>
        public static string? KnownApplyType(string? parameterName)
        {
            switch (parameterName)
            {
                case AuroraClusterService.RequireSecureTransportParameter: return "dynamic";
                case AuroraClusterService.TlsVersionParameter:
                case AuroraClusterService.SslCipherParameter: return "static";
                default: return null;
            }
        }

        /// <summary>The message for tls_version on a cluster that is not Aurora MySQL 2.</summary>
        public static string TlsVersionRefusal(AuroraCluster cluster) =>
            $"tls_version cannot be set on cluster '{cluster.ClusterIdentifier}' ({cluster.EngineVersion}): only Aurora MySQL version 2 has a settable tls_version cluster parameter. " +
            (AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.CipherSuitesConfigurable == true
                ? "Aurora MySQL version 3 accepts TLS 1.0, 1.1 and 1.2 (not TLS 1.3). To keep out older protocols there, restrict the ciphers instead: Set-AuroraCipherSuite with TLS 1.2 ciphers such as ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256."
                : "Upgrade the cluster to Aurora MySQL version 2 or 3 to control its TLS protocols.");

        private static string? CipherRefusal(AuroraCluster cluster, IReadOnlyList<AuroraCipher> ciphers)
        {
            if (!AuroraEngineVersion.TryParse(cluster.EngineVersion, out var version, out _))
            {
                return $"Cluster '{cluster.ClusterIdentifier}' reports engine version '{cluster.EngineVersion}', which does not say which Aurora MySQL release runs, so the ciphers cannot be checked against it; nothing was changed.";
            }

            var refused = ciphers
                .Select(c => (Cipher: c, Support: CipherCatalog.SupportFor(c, version!)))
                .Where(r => !r.Support.Supported)
                .ToList();
            if (refused.Count == 0) return null;
            var allowed = CipherCatalog.All.Where(c => CipherCatalog.SupportFor(c, version!).Supported).Select(c => c.Name).ToList();
            return $"Cluster '{cluster.ClusterIdentifier}' runs Aurora MySQL {version!.AuroraVersion}, which does not accept " +
                string.Join("; ", refused.Select(r => $"{r.Cipher.Name} ({r.Support.Reason?.TrimEnd('.')})")) +
                (allowed.Count > 0 ? $". Ciphers it accepts: {string.Join(", ", allowed)}." : ".") + " Nothing was changed.";
        }

        private static string BooleanSpelling(RdsParameter? metadata, bool on)
        {
            // RDS describes the boolean with AllowedValues "0,1"; use what the metadata offers so the value is never rejected.
            var allowed = (metadata?.AllowedValues ?? string.Empty).Split(',').Select(s => s.Trim()).ToList();
            if (allowed.Contains("1") || allowed.Count == 0 || allowed.All(s => s.Length == 0)) return on ? "1" : "0";
            return allowed.FirstOrDefault(a => string.Equals(a, on ? "ON" : "OFF", StringComparison.OrdinalIgnoreCase)) ?? (on ? "1" : "0");
        }

        // A value listed without a value is the engine default (OFF) only when RDS says it is a default; otherwise unknown.
        private static bool? CurrentOnOff(RdsParameter? current)
        {
            if (current == null) return null;
            if (!string.IsNullOrWhiteSpace(current.ParameterValue)) return AuroraClusterService.OnOff(current.ParameterValue);
            return current.Source == "engine-default" || current.Source == "system" ? false : (bool?)null;
        }

        private static bool SameProtocols(string current, IReadOnlyList<string> permitted)
        {
            var items = current.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            try
            {
                var protocols = items.Count == 1
                    ? AuroraTlsRules.ProtocolsPermittedBy(items[0])
                    : items.Select(AuroraTlsRules.NormalizeTlsVersion).Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
                return protocols.OrderBy(p => p, StringComparer.Ordinal).SequenceEqual(permitted.OrderBy(p => p, StringComparer.Ordinal));
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        // Order matters in ssl_cipher (it is the server's preference), so only the same list in the same order holds.
        private static bool SameList(string? current, IEnumerable<string> wanted) =>
            (current ?? string.Empty).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0)
                .SequenceEqual(wanted, StringComparer.OrdinalIgnoreCase);
    }
}
