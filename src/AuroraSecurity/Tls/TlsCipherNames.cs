using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Tls
{
    /// <summary>Maps the OpenSSL cipher spelling (Aurora MySQL's ssl_cipher and its documentation use it) to the IANA names .NET and MySqlConnector need.</summary>
    public static class TlsCipherNames
    {
        // TLS 1.3 suites share one spelling in OpenSSL and IANA.
        private static readonly string[] Tls13Suites = { "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256" };

        /// <summary>The IANA name for a cipher given in either spelling; throws TlsCipherUnknown naming what can be mapped.</summary>
        public static string ToIana(string name) =>
            TryToIana(name, out var iana) ? iana : throw UnknownCipher(name);

        /// <summary>The failure for a cipher name that maps to no TLS cipher suite.</summary>
        public static AuroraSecurityException UnknownCipher(string name) => CipherCatalog.UnknownCipher(UnknownCipherMessage(name));

        /// <summary>The IANA name for a cipher given in either spelling, when it can be mapped.</summary>
        public static bool TryToIana(string name, out string ianaName)
        {
            var trimmed = (name ?? string.Empty).Trim();
            var known = CipherCatalog.Find(trimmed);
            var tls13 = Tls13Suites.FirstOrDefault(s => string.Equals(s, trimmed, StringComparison.OrdinalIgnoreCase));
            if (known != null)
            {
                ianaName = known.IanaName;
            }
            else if (tls13 != null)
            {
                ianaName = tls13;
            }
            else if (trimmed.StartsWith("TLS_", StringComparison.OrdinalIgnoreCase) && trimmed.IndexOf("_WITH_", StringComparison.OrdinalIgnoreCase) > 0 && IsKnownSuite(trimmed))
            {
                ianaName = trimmed.ToUpperInvariant();
            }
            else
            {
                ianaName = string.Empty;
                return false;
            }

            return true;
        }

#if NET
        private static bool IsKnownSuite(string ianaName) =>
            Enum.TryParse<System.Net.Security.TlsCipherSuite>(ianaName, ignoreCase: true, out var suite) && Enum.IsDefined(typeof(System.Net.Security.TlsCipherSuite), suite);
#else
        private static bool IsKnownSuite(string ianaName) => ianaName.Length > 0;
#endif

        /// <summary>What to say about a cipher name that cannot be mapped, listing the names that can.</summary>
        public static string UnknownCipherMessage(string name) =>
            $"Cannot map the cipher '{name}' to a TLS cipher suite. Use one of the Aurora MySQL ciphers ({CipherCatalog.NameList}), " +
            "a TLS 1.3 suite (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256), or an IANA name such as TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.";

        /// <summary>Maps a list, keeping its order and dropping duplicates.</summary>
        public static IReadOnlyList<string> ToIana(IEnumerable<string> names) => names.Select(ToIana).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The driver spelling of a TLS protocol name ("TLSv1.2", "TLS 1.2", "Tls12" → "TLS 1.2").</summary>
        public static string NormalizeProtocol(string protocol) => TlsProtocols.Parse(protocol).DriverName();
    }
}
