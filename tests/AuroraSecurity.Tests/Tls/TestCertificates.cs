using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>Certificates made in memory, so unit tests need no files or servers.</summary>
    internal static class TestCertificates
    {
        public static X509Certificate2 NewCa(string commonName)
        {
            using var key = NewKey();
            var request = new CertificateRequest($"CN={commonName}, O=Tests", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        }

        public static X509Certificate2 NewServer(X509Certificate2 issuer, string commonName, string[] dnsNames, IPAddress[] addresses, DateTimeOffset? notAfter = null)
        {
            using var key = NewKey();
            var request = new CertificateRequest($"CN={commonName}, O=Tests", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            if (dnsNames.Length > 0 || addresses.Length > 0)
            {
                var san = new SubjectAlternativeNameBuilder();
                foreach (var name in dnsNames) san.AddDnsName(name);
                foreach (var address in addresses) san.AddIpAddress(address);
                request.CertificateExtensions.Add(san.Build());
            }

            var serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(90), serial);
        }

        // P-256 keys: the tests are about chains and names, and an EC key takes a fraction of an RSA key's time to make.
        private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public static string ToPem(params X509Certificate2[] certificates)
        {
            var text = string.Empty;
            foreach (var certificate in certificates)
            {
                text += "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(certificate.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";
            }

            return text;
        }
    }
}
