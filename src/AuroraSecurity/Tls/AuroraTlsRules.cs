using System;
using System.Collections.Generic;

namespace AuroraSecurity.Tls
{
    /// <summary>What the Aurora MySQL User Guide's security chapter says about TLS protocols and parameters for one Aurora MySQL major version.</summary>
    public sealed class AuroraTlsRules
    {
        private AuroraTlsRules(int major, IReadOnlyList<string> protocols, bool tlsVersionSettable, bool requireSecureTransportAvailable, bool cipherSuitesConfigurable)
        {
            AuroraMajorVersion = major;
            SupportedProtocols = protocols;
            TlsVersionSettable = tlsVersionSettable;
            RequireSecureTransportAvailable = requireSecureTransportAvailable;
            CipherSuitesConfigurable = cipherSuitesConfigurable;
        }

        /// <summary>The values the tls_version cluster parameter takes on Aurora MySQL 2, lowest protocol allowed first.</summary>
        public static IReadOnlyList<string> TlsVersionValues { get; } = new[] { TlsProtocol.Tls10.TlsVersionValue(), TlsProtocol.Tls11.TlsVersionValue(), TlsProtocol.Tls12.TlsVersionValue() };

        /// <summary>1, 2 or 3.</summary>
        public int AuroraMajorVersion { get; }

        /// <summary>TLS protocols the engine accepts ("TLSv1", "TLSv1.1", "TLSv1.2"); no release supports TLS 1.3.</summary>
        public IReadOnlyList<string> SupportedProtocols { get; }

        /// <summary>Only Aurora MySQL 2 lets a cluster parameter group set tls_version.</summary>
        public bool TlsVersionSettable { get; }

        /// <summary>require_secure_transport exists on Aurora MySQL 2 and 3, in cluster parameter groups only.</summary>
        public bool RequireSecureTransportAvailable { get; }

        /// <summary>ssl_cipher is configurable on Aurora MySQL 2 and 3.</summary>
        public bool CipherSuitesConfigurable { get; }

        /// <summary>The rules for a major version.</summary>
        public static AuroraTlsRules For(int auroraMajorVersion)
        {
            switch (auroraMajorVersion)
            {
                case 1: return new AuroraTlsRules(1, TlsVersionValues, false, false, false);
                case 2: return new AuroraTlsRules(2, TlsVersionValues, true, true, true);
                case 3: return new AuroraTlsRules(3, TlsVersionValues, false, true, true);
                default: throw new ArgumentOutOfRangeException(nameof(auroraMajorVersion), auroraMajorVersion, "Aurora MySQL major versions are 1, 2 and 3.");
            }
        }

        /// <summary>The rules for a major version, or null when the version is unknown or not 1, 2 or 3.</summary>
        public static AuroraTlsRules? TryFor(int? auroraMajorVersion) =>
            auroraMajorVersion is int major && major >= 1 && major <= 3 ? For(major) : null;

        /// <summary>The protocols a tls_version value permits: the named one and every higher one.</summary>
        public static IReadOnlyList<string> ProtocolsPermittedBy(string tlsVersion)
        {
            var index = IndexOf(tlsVersion);
            var permitted = new List<string>();
            for (var i = index; i < TlsVersionValues.Count; i++)
            {
                permitted.Add(TlsVersionValues[i]);
            }

            return permitted;
        }

        /// <summary>The canonical tls_version spelling for TLSv1 / TLSv1.0 / TLSv1.1 / TLSv1.2, or an ArgumentException listing the values.</summary>
        public static string NormalizeTlsVersion(string tlsVersion) => TlsVersionValues[IndexOf(tlsVersion)];

        private static int IndexOf(string tlsVersion)
        {
            // tls_version names TLS 1.0 to 1.2 only: the protocol's own spelling, read by the one protocol parser.
            if (TlsProtocols.TryParse((tlsVersion ?? string.Empty).Trim(), out var protocol) && protocol != TlsProtocol.Tls13)
            {
                return (int)protocol;
            }

            throw new ArgumentException(
                $"'{tlsVersion}' is not a tls_version value. Use TLSv1.2 (TLS 1.2 only), TLSv1.1 (TLS 1.1 and 1.2) or TLSv1 (TLS 1.0, 1.1 and 1.2).",
                nameof(tlsVersion));
        }
    }
}
