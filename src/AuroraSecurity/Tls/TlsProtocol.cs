using System;
using System.Collections.Generic;

namespace AuroraSecurity.Tls
{
    /// <summary>A TLS protocol version: the one vocabulary for probes, the driver and the tls_version parameter.</summary>
    public enum TlsProtocol
    {
        /// <summary>TLS 1.0 (tls_version spells it TLSv1).</summary>
        Tls10,

        /// <summary>TLS 1.1.</summary>
        Tls11,

        /// <summary>TLS 1.2.</summary>
        Tls12,

        /// <summary>TLS 1.3 (no Aurora MySQL release accepts it).</summary>
        Tls13,
    }

    /// <summary>Parsing and the spellings of <see cref="TlsProtocol"/>; every other spelling of a TLS version goes through here.</summary>
    public static class TlsProtocols
    {
        /// <summary>Every protocol, lowest first.</summary>
        public static IReadOnlyList<TlsProtocol> All { get; } = new[] { TlsProtocol.Tls10, TlsProtocol.Tls11, TlsProtocol.Tls12, TlsProtocol.Tls13 };

        /// <summary>
        /// Reads any usual spelling: TLSv1, TLSv1.0, TLS 1.0, TLS1.0, Tls10 (case and spaces ignored). False for anything else.
        /// </summary>
        public static bool TryParse(string? text, out TlsProtocol protocol)
        {
            var compact = (text ?? string.Empty).Replace(" ", string.Empty).Replace("v", string.Empty).Replace("V", string.Empty).ToUpperInvariant();
            switch (compact)
            {
                case "TLS1":
                case "TLS1.0":
                case "TLS10":
                    protocol = TlsProtocol.Tls10;
                    return true;
                case "TLS1.1":
                case "TLS11":
                    protocol = TlsProtocol.Tls11;
                    return true;
                case "TLS1.2":
                case "TLS12":
                    protocol = TlsProtocol.Tls12;
                    return true;
                case "TLS1.3":
                case "TLS13":
                    protocol = TlsProtocol.Tls13;
                    return true;
                default:
                    protocol = default;
                    return false;
            }
        }

        /// <summary>Reads a protocol, or throws an ArgumentException that lists the versions.</summary>
        public static TlsProtocol Parse(string? text) =>
            TryParse(text, out var protocol)
                ? protocol
                : throw new ArgumentException($"'{text}' is not a TLS protocol version. Use TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3.", nameof(text));

        /// <summary>The name results and probes show: TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3.</summary>
        public static string Name(this TlsProtocol protocol) => "TLSv1." + Minor(protocol);

        /// <summary>The MySQL driver's spelling: TLS 1.0 … TLS 1.3.</summary>
        public static string DriverName(this TlsProtocol protocol) => "TLS 1." + Minor(protocol);

        /// <summary>The spelling of the tls_version parameter and variable: TLSv1 for TLS 1.0, TLSv1.1 and so on.</summary>
        public static string TlsVersionValue(this TlsProtocol protocol) => protocol == TlsProtocol.Tls10 ? "TLSv1" : protocol.Name();

        private static int Minor(TlsProtocol protocol) => protocol switch
        {
            TlsProtocol.Tls10 => 0,
            TlsProtocol.Tls11 => 1,
            TlsProtocol.Tls12 => 2,
            TlsProtocol.Tls13 => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        };
    }
}
