using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace AuroraSecurity.Tls
{
    /// <summary>The facts about a server certificate that a DBA checks: names, issuer, validity and thumbprint.</summary>
    public sealed class ServerCertificateInfo
    {
        internal ServerCertificateInfo(X509Certificate2 certificate, DateTime utcNow)
        {
            Certificate = certificate;
            Subject = certificate.Subject;
            Issuer = certificate.Issuer;
            CommonName = certificate.GetNameInfo(X509NameType.SimpleName, false);
            Names = Tls.SubjectAlternativeNames.From(certificate);
            SubjectAlternativeNames = Names.ToDisplayList();
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            DaysUntilExpiry = (int)Math.Floor((NotAfter - utcNow).TotalDays);
            Thumbprint = certificate.Thumbprint;
        }

        /// <summary>The subject distinguished name.</summary>
        public string Subject { get; }

        /// <summary>The issuer distinguished name.</summary>
        public string Issuer { get; }

        /// <summary>The subject's Common Name (the instance endpoint on RDS certificates).</summary>
        public string CommonName { get; }

        /// <summary>"DNS:…" and "IP:…" entries; empty when the certificate has no SAN.</summary>
        public IReadOnlyList<string> SubjectAlternativeNames { get; }

        /// <summary>Start of validity, UTC.</summary>
        public DateTimeOffset NotBefore { get; }

        /// <summary>End of validity, UTC.</summary>
        public DateTimeOffset NotAfter { get; }

        /// <summary>Whole days left until NotAfter; negative once expired.</summary>
        public int DaysUntilExpiry { get; }

        /// <summary>SHA-1 thumbprint, as Windows and the AWS console show it.</summary>
        public string Thumbprint { get; }

        internal SubjectAlternativeNames Names { get; }

        internal X509Certificate2 Certificate { get; }

        /// <summary>Which of the certificate's names matches a host, per RFC 6125.</summary>
        public CertificateNameMatch MatchHost(string host) => HostNameMatcher.Match(host, Names, CommonName);
    }
}
