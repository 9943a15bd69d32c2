using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Repair
{
    /// <summary>The ssl_cipher list a repair sets: the baseline's allowed ciphers the release supports, or the strongest set it supports.</summary>
    public static class RepairCiphers
    {
        /// <summary>Strongest first: ECDHE with AES-GCM where the release has ECDHE, else DHE with AES-GCM (TLS 1.2 only, forward secret).</summary>
        private static readonly string[][] Preferences =
        {
            new[] { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" },
            new[] { "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-GCM-SHA256" },
        };

        /// <summary>
        /// The list for a cluster's engine version, or null with <paramref name="reason"/> when there is none: a version the cipher table
        /// cannot read, a release without configurable ciphers, or allowed ciphers the release supports none of.
        /// </summary>
        public static IReadOnlyList<string>? For(string? engineVersion, IReadOnlyList<string>? allowed, out string? reason)
        {
            reason = null;
            if (!AuroraEngineVersion.TryParse(engineVersion, out var version, out var error))
            {
                reason = $"the engine version '{engineVersion}' is not one the cipher table knows ({error}), so no cipher list can be chosen for it";
                return null;
            }

            bool Supported(AuroraCipher c) => CipherCatalog.SupportFor(c, version!).Supported;
            if (allowed != null && allowed.Count > 0)
            {
                var known = allowed.Select(CipherCatalog.Find).Where(c => c != null).Select(c => c!).Distinct().ToList();
                var usable = known.Where(Supported).Select(c => c.Name).ToList();
                if (usable.Count > 0) return usable;
                reason = $"Aurora MySQL {version!.AuroraVersion} supports none of the baseline's allowed ciphers ({string.Join(", ", allowed)})";
                return null;
            }

            foreach (var set in Preferences)
            {
                var ciphers = set.Select(CipherCatalog.Get).ToList();
                if (ciphers.All(Supported)) return ciphers.Select(c => c.Name).ToList();
            }

            reason = CipherCatalog.SupportFor(CipherCatalog.All[0], version!).Reason ?? $"Aurora MySQL {version!.AuroraVersion} supports no TLS 1.2 AES-GCM cipher";
            return null;
        }

        /// <summary>The ciphers of <paramref name="first"/> that <paramref name="second"/> also has, in the first list's order.</summary>
        public static IReadOnlyList<string> Common(IReadOnlyList<string> first, IReadOnlyList<string> second) =>
            first.Where(c => second.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
