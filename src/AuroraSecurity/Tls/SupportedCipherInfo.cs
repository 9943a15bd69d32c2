using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Engine;

namespace AuroraSecurity.Tls
{
    /// <summary>One cipher of the Aurora MySQL cipher table, and whether a given Aurora MySQL release supports it.</summary>
    public sealed class SupportedCipherInfo
    {
        /// <summary>The OpenSSL name, as ssl_cipher takes it.</summary>
        public string Cipher { get; set; } = string.Empty;

        /// <summary>"TLS 1.0" or "TLS 1.2".</summary>
        public string Protocol { get; set; } = string.Empty;

        /// <summary>The IANA name of the same suite.</summary>
        public string IanaName { get; set; } = string.Empty;

        /// <summary>The engine version asked about, if any.</summary>
        public string? EngineVersion { get; set; }

        /// <summary>Supported by that release; null when no release was asked about.</summary>
        public bool? Supported { get; set; }

        /// <summary>Why not, when not.</summary>
        public string? Reason { get; set; }

        /// <summary>The words of the Aurora MySQL User Guide's security chapter for the releases that support the cipher.</summary>
        public string SupportedVersions { get; set; } = string.Empty;

        /// <summary>Every cipher, evaluated for a release when one is given.</summary>
        public static IReadOnlyList<SupportedCipherInfo> For(AuroraEngineVersion? version) =>
            CipherCatalog.All.Select(cipher =>
            {
                var info = new SupportedCipherInfo
                {
                    Cipher = cipher.Name,
                    Protocol = cipher.Protocol,
                    IanaName = cipher.IanaName,
                    SupportedVersions = cipher.Availability == CipherAvailability.Dhe
                        ? "3.01.0 and higher, all below 2.11.0"
                        : "3.01.0 and higher, 2.09.3 and higher, 2.10.2 and higher",
                };
                if (version != null)
                {
                    var support = CipherCatalog.SupportFor(cipher, version);
                    info.EngineVersion = version.Original;
                    info.Supported = support.Supported;
                    info.Reason = support.Reason;
                }

                return info;
            }).ToList();
    }
}
