using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AuroraSecurity.Tls
{
    /// <summary>The outcome of building a certificate's chain to a CA bundle.</summary>
    public sealed class ChainCheckResult
    {
        internal ChainCheckResult(bool valid, string detail)
        {
            Valid = valid;
            Detail = detail;
        }

        /// <summary>Whether the chain leads to a certificate in the CA bundle (or the system store without one) and every link is valid.</summary>
        public bool Valid { get; }

        /// <summary>What failed, in the chain builder's words; empty when valid.</summary>
        public string Detail { get; }
    }

    /// <summary>Checks a server certificate's chain against a CA file, trusting only that file's certificates.</summary>
    public static class CertificateChainValidator
    {
        /// <summary>Validates against the CA file, or the system's trusted roots when no file is given.</summary>
        public static ChainCheckResult Validate(X509Certificate2 certificate, string? caFile, IEnumerable<X509Certificate2>? intermediates = null, DateTime? at = null)
        {
            if (certificate is null) throw new ArgumentNullException(nameof(certificate));
            var extra = intermediates?.ToList() ?? new List<X509Certificate2>();
            if (string.IsNullOrEmpty(caFile))
            {
                return ValidateWithSystemRoots(certificate, extra, at);
            }

            var authorities = LoadPemShared(caFile!);
            if (authorities.Count == 0)
            {
                return new ChainCheckResult(false, $"the CA file '{caFile}' holds no PEM certificates");
            }
#if NET
            return ValidateWithCustomRoots(certificate, authorities, extra, at);
#else
            return ValidateWithExtraStore(certificate, authorities, extra, at);
#endif
        }

        /// <summary>Every "BEGIN CERTIFICATE" block of a PEM file, parsed without relying on platform PEM support.</summary>
        public static IReadOnlyList<X509Certificate2> LoadPem(string path) => ParsePem(File.ReadAllText(path));

        // The CA files parsed so far, by path, with the bytes they were parsed from. The RDS bundle holds over a hundred
        // certificates: parsing it for every connection of a fleet audit costs more than the handshake's own checks.
        private static readonly ConcurrentDictionary<string, KeyValuePair<byte[], IReadOnlyList<X509Certificate2>>> Parsed =
            new ConcurrentDictionary<string, KeyValuePair<byte[], IReadOnlyList<X509Certificate2>>>(StringComparer.Ordinal);

        // The file is read every time and parsed again whenever its bytes changed, so an updated bundle is never missed. The
        // certificates are shared between callers, which only read them.
        private static IReadOnlyList<X509Certificate2> LoadPemShared(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var key = Path.GetFullPath(path);
            if (Parsed.TryGetValue(key, out var known) && SameBytes(known.Key, bytes))
            {
                return known.Value;
            }

            var certificates = ParsePem(Encoding.UTF8.GetString(bytes));
            Parsed[key] = new KeyValuePair<byte[], IReadOnlyList<X509Certificate2>>(bytes, certificates);
            return certificates;
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }

            return true;
        }

        private static IReadOnlyList<X509Certificate2> ParsePem(string text)
        {
            const string Begin = "-----BEGIN CERTIFICATE-----";
            const string End = "-----END CERTIFICATE-----";
            var certificates = new List<X509Certificate2>();
            var position = 0;
            while ((position = text.IndexOf(Begin, position, StringComparison.Ordinal)) >= 0)
            {
                var start = position + Begin.Length;
                var stop = text.IndexOf(End, start, StringComparison.Ordinal);
                if (stop < 0)
                {
                    break;
                }

                var base64 = new StringBuilder();
                foreach (var c in text.Substring(start, stop - start))
                {
                    if (!char.IsWhiteSpace(c)) base64.Append(c);
                }

                certificates.Add(new X509Certificate2(Convert.FromBase64String(base64.ToString())));
                position = stop + End.Length;
            }

            return certificates;
        }

#if NET
        private static ChainCheckResult ValidateWithCustomRoots(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> authorities, List<X509Certificate2> extra, DateTime? at)
        {
            using (var chain = NewChain(at))
            {
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                foreach (var authority in authorities)
                {
                    if (IsSelfSigned(authority)) chain.ChainPolicy.CustomTrustStore.Add(authority);
                    else chain.ChainPolicy.ExtraStore.Add(authority);
                }

                chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
                var built = chain.Build(certificate);
                return new ChainCheckResult(built, built ? string.Empty : Describe(chain));
            }
        }
#endif

        /// <summary>
        /// The route for platforms without custom root trust: build with the CA file as extra store allowing an unknown root,
        /// then require that the root reached is one of the CA file's certificates.
        /// </summary>
        internal static ChainCheckResult ValidateWithExtraStore(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> authorities, List<X509Certificate2> extra, DateTime? at)
        {
            using (var chain = NewChain(at))
            {
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.AddRange(authorities.ToArray());
                chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
                var built = chain.Build(certificate);
                var problems = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.UntrustedRoot && s.Status != X509ChainStatusFlags.NoError).ToList();
                if (!built || problems.Count > 0)
                {
                    return new ChainCheckResult(false, problems.Count > 0 ? string.Join("; ", problems.Select(p => $"{p.Status}: {p.StatusInformation.Trim()}")) : Describe(chain));
                }

                var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                var trusted = authorities.Any(a => string.Equals(a.Thumbprint, root.Thumbprint, StringComparison.OrdinalIgnoreCase));
                return trusted
                    ? new ChainCheckResult(true, string.Empty)
                    : new ChainCheckResult(false, $"PartialChain: the chain ends at '{root.Subject}', which is not in the CA file");
            }
        }

        private static ChainCheckResult ValidateWithSystemRoots(X509Certificate2 certificate, List<X509Certificate2> extra, DateTime? at)
        {
            using (var chain = NewChain(at))
            {
                chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
                var built = chain.Build(certificate);
                return new ChainCheckResult(built, built ? string.Empty : Describe(chain));
            }
        }

        private static X509Chain NewChain(DateTime? at)
        {
            var chain = new X509Chain();
            // RDS certificates carry no revocation endpoints a client can reach; the mysql client does not check them either.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (at.HasValue) chain.ChainPolicy.VerificationTime = at.Value;
            return chain;
        }

        private static string Describe(X509Chain chain)
        {
            var statuses = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct().ToList();
            return statuses.Count > 0 ? string.Join("; ", statuses) : "the chain could not be built";
        }

        private static bool IsSelfSigned(X509Certificate2 certificate) =>
            string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal);
    }
}
