using System;
using System.Net;

namespace AuroraSecurity.Tls
{
    /// <summary>Which part of the certificate named the host: the Subject Alternative Name, the Common Name, or neither.</summary>
    public enum CertificateNameMatch
    {
        /// <summary>The certificate does not name the host.</summary>
        None,

        /// <summary>A subjectAltName entry (DNS or IP) matched.</summary>
        SAN,

        /// <summary>The subject's Common Name matched; only consulted when the certificate has no DNS SAN entries.</summary>
        CN,
    }

    /// <summary>Matches a host name or address against a certificate's names as RFC 6125 describes.</summary>
    public static class HostNameMatcher
    {
        /// <summary>Which name matched: SAN DNS/IP entries first, the CN only when there are no SAN DNS names, addresses only by SAN IP.</summary>
        public static CertificateNameMatch Match(string host, SubjectAlternativeNames names, string? commonName)
        {
            if (names is null) throw new ArgumentNullException(nameof(names));
            var reference = Normalize(host);
            if (reference.Length == 0)
            {
                return CertificateNameMatch.None;
            }

            if (IPAddress.TryParse(reference.Trim('[', ']'), out var address))
            {
                foreach (var candidate in names.IpAddresses)
                {
                    if (candidate.Equals(address)) return CertificateNameMatch.SAN;
                }

                return CertificateNameMatch.None;
            }

            if (names.DnsNames.Count > 0)
            {
                foreach (var pattern in names.DnsNames)
                {
                    if (MatchesDnsName(pattern, reference)) return CertificateNameMatch.SAN;
                }

                return CertificateNameMatch.None;
            }

            return commonName != null && MatchesDnsName(commonName, reference) ? CertificateNameMatch.CN : CertificateNameMatch.None;
        }

        /// <summary>
        /// One presented name against one reference name. A wildcard stands for exactly one whole or partial label, only in
        /// the left-most label, and never with fewer than two labels after it ("*.com" matches nothing).
        /// </summary>
        public static bool MatchesDnsName(string pattern, string host)
        {
            var presented = Normalize(pattern);
            var reference = Normalize(host);
            if (presented.Length == 0 || reference.Length == 0)
            {
                return false;
            }

            var star = presented.IndexOf('*');
            if (star < 0)
            {
                return string.Equals(presented, reference, StringComparison.Ordinal);
            }

            var presentedLabels = presented.Split('.');
            var referenceLabels = reference.Split('.');
            var left = presentedLabels[0];
            if (left.IndexOf('*') < 0 || left.IndexOf('*') != left.LastIndexOf('*') || presented.IndexOf('*', presentedLabels[0].Length) >= 0)
            {
                return false;
            }

            if (presentedLabels.Length < 3 || presentedLabels.Length != referenceLabels.Length)
            {
                return false;
            }

            for (var i = 1; i < presentedLabels.Length; i++)
            {
                if (presentedLabels[i].Length == 0 || !string.Equals(presentedLabels[i], referenceLabels[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            // A partial wildcard cannot reach into an internationalized label.
            var label = referenceLabels[0];
            if (left != "*" && label.StartsWith("xn--", StringComparison.Ordinal))
            {
                return false;
            }

            var prefix = left.Substring(0, left.IndexOf('*'));
            var suffix = left.Substring(left.IndexOf('*') + 1);
            return label.Length > 0
                && label.Length >= prefix.Length + suffix.Length
                && label.StartsWith(prefix, StringComparison.Ordinal)
                && label.EndsWith(suffix, StringComparison.Ordinal);
        }

        private static string Normalize(string? name) => (name ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
    }
}
