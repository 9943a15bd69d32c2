using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// Verifies the server's certificate in the module rather than in the driver whenever a CA file is given or the name to
    /// verify is not the host dialled (a tunnel or an IP address with -TlsServerName). The driver would check the name it
    /// dials only, and it reads and parses the CA file again for every connection and builds the chain twice; here the file
    /// is parsed once (again when its bytes change) and the chain is built once against exactly the CAs in it.
    /// </summary>
    internal static class ServerCertificateVerification
    {
        internal static bool VerifiesAnotherName(SqlConnectionOptions options) =>
            options.SslMode >= SqlSslMode.VerifyCA
            && !string.IsNullOrEmpty(options.TlsServerName)
            && !string.Equals(options.TlsServerName, options.Endpoint, StringComparison.OrdinalIgnoreCase);

        /// <summary>True when the module checks the certificate itself (the driver then only encrypts): a verifying mode with a CA file, or another name.</summary>
        internal static bool VerifiesItself(SqlConnectionOptions options) =>
            options.SslMode >= SqlSslMode.VerifyCA && (!string.IsNullOrEmpty(options.SslCa) || VerifiesAnotherName(options));

        /// <summary>
        /// The chain must end at a CA of the file (the system's roots when there is none); under VerifyFull the name must match:
        /// -TlsServerName when it names another host, otherwise the host dialled, as the TLS layer compared it.
        /// </summary>
        internal static bool Verify(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, SqlConnectionOptions options)
        {
            if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }

            var server = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            var intermediates = chain?.ChainElements.Cast<X509ChainElement>().Skip(1).Select(e => e.Certificate).ToList();
            if (!CertificateChainValidator.Validate(server, options.SslCa, intermediates).Valid)
            {
                return false;
            }

            if (options.SslMode < SqlSslMode.VerifyFull)
            {
                return true;
            }

            return VerifiesAnotherName(options)
                ? HostNameMatcher.Match(options.TlsServerName!, SubjectAlternativeNames.From(server), server.GetNameInfo(X509NameType.SimpleName, false)) != CertificateNameMatch.None
                : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        }
    }
}
