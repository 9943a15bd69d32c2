using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// Verifies the server's certificate ourselves when the name to verify is not the host dialled (a tunnel or an IP
    /// address with -TlsServerName): the driver can only check the name it dials.
    /// </summary>
    internal static class ServerCertificateVerification
    {
        internal static bool VerifiesAnotherName(SqlConnectionOptions options) =>
            options.SslMode >= SqlSslMode.VerifyCA
            && !string.IsNullOrEmpty(options.TlsServerName)
            && !string.Equals(options.TlsServerName, options.Endpoint, StringComparison.OrdinalIgnoreCase);

        internal static bool Verify(X509Certificate? certificate, X509Chain? chain, SqlConnectionOptions options)
        {
            if (certificate == null)
            {
                return false;
            }

            var server = new X509Certificate2(certificate);
            var intermediates = chain?.ChainElements.Cast<X509ChainElement>().Skip(1).Select(e => e.Certificate).ToList();
            if (!CertificateChainValidator.Validate(server, options.SslCa, intermediates).Valid)
            {
                return false;
            }

            return options.SslMode < SqlSslMode.VerifyFull
                || HostNameMatcher.Match(options.TlsServerName!, SubjectAlternativeNames.From(server), server.GetNameInfo(X509NameType.SimpleName, false)) != CertificateNameMatch.None;
        }
    }
}
