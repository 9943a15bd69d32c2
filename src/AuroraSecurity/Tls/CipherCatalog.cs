using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Engine;

namespace AuroraSecurity.Tls
{
    /// <summary>The table of cipher suites Aurora MySQL accepts in ssl_cipher, and the rules for each release.</summary>
    public static class CipherCatalog
    {
        /// <summary>The twelve ciphers, in the order the Aurora MySQL User Guide's security chapter lists them.</summary>
        public static IReadOnlyList<AuroraCipher> All { get; } = new[]
        {
            new AuroraCipher("DHE-RSA-AES128-SHA", "TLS 1.0", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", CipherAvailability.Dhe),
            new AuroraCipher("DHE-RSA-AES128-SHA256", "TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", CipherAvailability.Dhe),
            new AuroraCipher("DHE-RSA-AES128-GCM-SHA256", "TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", CipherAvailability.Dhe),
            new AuroraCipher("DHE-RSA-AES256-SHA", "TLS 1.0", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", CipherAvailability.Dhe),
            new AuroraCipher("DHE-RSA-AES256-SHA256", "TLS 1.2", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", CipherAvailability.Dhe),
            new AuroraCipher("DHE-RSA-AES256-GCM-SHA384", "TLS 1.2", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", CipherAvailability.Dhe),
            new AuroraCipher("ECDHE-RSA-AES128-SHA", "TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", CipherAvailability.Ecdhe),
            new AuroraCipher("ECDHE-RSA-AES128-SHA256", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", CipherAvailability.Ecdhe),
            new AuroraCipher("ECDHE-RSA-AES128-GCM-SHA256", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherAvailability.Ecdhe),
            new AuroraCipher("ECDHE-RSA-AES256-SHA", "TLS 1.0", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", CipherAvailability.Ecdhe),
            new AuroraCipher("ECDHE-RSA-AES256-SHA384", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", CipherAvailability.Ecdhe),
            new AuroraCipher("ECDHE-RSA-AES256-GCM-SHA384", "TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CipherAvailability.Ecdhe),
        };

        /// <summary>The names, comma-separated, for messages that list the valid choices.</summary>
        public static string NameList => string.Join(", ", All.Select(c => c.Name));

        /// <summary>Finds a cipher by its OpenSSL or IANA name, ignoring case.</summary>
        public static AuroraCipher? Find(string name)
        {
            var trimmed = (name ?? string.Empty).Trim();
            return All.FirstOrDefault(c =>
                string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(c.IanaName, trimmed, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Finds a cipher or throws TlsCipherUnknown, suggesting the closest name and listing the valid ones.</summary>
        public static AuroraCipher Get(string name)
        {
            var found = Find(name);
            if (found != null) return found;
            var suggestion = Closest(name);
            throw UnknownCipher($"'{name}' is not a cipher Aurora MySQL accepts in ssl_cipher.{(suggestion == null ? string.Empty : $" Did you mean {suggestion}?")} Valid ciphers: {NameListByRelease}.");
        }

        /// <summary>
        /// The names grouped by the releases that accept them, for messages written before the cluster is known: a DHE
        /// cipher is no choice on Aurora MySQL 2.11 and later, and the list must not suggest it is.
        /// </summary>
        public static string NameListByRelease =>
            $"{Names(CipherAvailability.Ecdhe)} ({AvailabilityText(CipherAvailability.Ecdhe)}); " +
            $"{Names(CipherAvailability.Dhe)} ({AvailabilityText(CipherAvailability.Dhe)})";

        /// <summary>The Aurora MySQL releases that accept a family of ciphers, in the User Guide's terms.</summary>
        public static string AvailabilityText(CipherAvailability availability) => availability == CipherAvailability.Dhe
            ? "Aurora MySQL 3.01.0 and higher, and Aurora MySQL 2 below 2.11.0 only"
            : "Aurora MySQL 3.01.0 and higher, 2.09.3 and higher within 2.09, and 2.10.2 and higher";

        private static string Names(CipherAvailability availability) =>
            string.Join(", ", All.Where(c => c.Availability == availability).Select(c => c.Name));

        /// <summary>The one failure for a cipher name nothing here knows; the message says which names would do.</summary>
        internal static AuroraSecurityException UnknownCipher(string message) =>
            new AuroraSecurityException("TlsCipherUnknown", FailureKind.InvalidArgument, message);

        /// <summary>The catalogue name closest to a mistyped one (a few edits away), or null when none is close.</summary>
        public static string? Closest(string? name)
        {
            var typed = (name ?? string.Empty).Trim().ToUpperInvariant();
            if (typed.Length == 0) return null;
            var best = All.Select(c => (c.Name, Distance: EditDistance(typed, c.Name.ToUpperInvariant())))
                .OrderBy(x => x.Distance).First();
            return best.Distance <= Math.Max(2, typed.Length / 5) ? best.Name : null;
        }

        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) previous[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }

        /// <summary>Whether an Aurora MySQL release supports the cipher, and why not when it does not.</summary>
        public static CipherSupport SupportFor(AuroraCipher cipher, AuroraEngineVersion version)
        {
            if (cipher is null) throw new ArgumentNullException(nameof(cipher));
            if (version is null) throw new ArgumentNullException(nameof(version));

            switch (version.AuroraMajorVersion)
            {
                case 1:
                    return CipherSupport.No("Configurable cipher suites are supported on Aurora MySQL version 2 and 3 only.");
                case 3:
                    return version.IsAtLeast("3.01.0")
                        ? CipherSupport.Yes
                        : CipherSupport.No($"Aurora MySQL version 3 supports configurable cipher suites from 3.01.0; this cluster runs {version.AuroraVersion}.");
            }

            // Aurora MySQL version 2: the two families have different windows.
            if (cipher.Availability == CipherAvailability.Dhe)
            {
                return version.IsAtLeast("2.11.0")
                    ? CipherSupport.No($"DHE-RSA ciphers are supported only below Aurora MySQL 2.11.0; {version.AuroraVersion} supports only ECDHE ciphers.")
                    : CipherSupport.Yes;
            }

            var inPatched209 = version.IsAtLeast("2.09.3") && !version.IsAtLeast("2.10.0");
            if (inPatched209 || version.IsAtLeast("2.10.2"))
            {
                return CipherSupport.Yes;
            }

            return CipherSupport.No($"ECDHE-RSA ciphers need Aurora MySQL 2.09.3 or higher within 2.09, or 2.10.2 or higher; this cluster runs {version.AuroraVersion}.");
        }
    }

    /// <summary>The answer to "does this release support this cipher", with the reason when it does not.</summary>
    public readonly struct CipherSupport
    {
        private CipherSupport(bool supported, string? reason)
        {
            Supported = supported;
            Reason = reason;
        }

        /// <summary>Supported, no reason needed.</summary>
        public static CipherSupport Yes => new CipherSupport(true, null);

        /// <summary>Whether it is supported.</summary>
        public bool Supported { get; }

        /// <summary>Why not, in words a DBA can act on.</summary>
        public string? Reason { get; }

        /// <summary>Not supported, for the given reason.</summary>
        public static CipherSupport No(string reason) => new CipherSupport(false, reason);
    }
}
