using System;
using System.Security.Authentication;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Sql
{
    /// <summary>Says which TLS check failed (protocol, cipher, chain, name, validity) and what the user can do about it.</summary>
    internal static class TlsFailureExplanation
    {
        /// <summary>When a probe that trusts nothing has found out which check failed.</summary>
        internal static string Diagnosed(SqlConnectionOptions options, TlsDiagnosis diagnosis)
        {
            var target = $"{options.Endpoint}:{options.Port}";
            var ca = string.IsNullOrEmpty(options.SslCa) ? "the system's trusted CAs" : $"the CA file '{options.SslCa}'";
            if (diagnosis.ProtocolOrCipherRefused)
            {
                return $"TLS to {target} failed the protocol/cipher check: the server accepts none of the protocols or cipher suites offered " +
                       $"(-TlsVersion {string.Join(",", options.TlsVersions)} -TlsCipherSuite {string.Join(",", options.TlsCipherSuites)}). " +
                       "Offer what the server's tls_version and ssl_cipher allow; Test-AuroraTlsEndpoint lists them.";
            }

            var certificate = diagnosis.Certificate;
            if (certificate == null)
            {
                return $"TLS to {target} failed the protocol check before the server showed a certificate: {diagnosis.HandshakeError} " +
                       "Check the server's tls_version with Test-AuroraTlsEndpoint and pass -TlsVersion with one it accepts.";
            }

            if (diagnosis.ChainValid == false && options.SslMode >= SqlSslMode.VerifyCA)
            {
                return $"TLS to {target} failed the chain check: the server's certificate '{certificate.Subject}' (issued by '{certificate.Issuer}') " +
                       $"does not chain to {ca} ({diagnosis.ChainDetail}). Pass -SslCa with the CA bundle that signed it (global-bundle.pem for RDS).";
            }

            if (diagnosis.MatchedBy == CertificateNameMatch.None && options.SslMode == SqlSslMode.VerifyFull)
            {
                var names = certificate.SubjectAlternativeNames.Count > 0
                    ? "its Subject Alternative Names " + string.Join(", ", certificate.SubjectAlternativeNames)
                    : $"its Common Name '{certificate.CommonName}' (it has no Subject Alternative Names)";
                return $"TLS to {target} failed the name check: the certificate does not name '{diagnosis.ServerName}'; it carries {names}. " +
                       "Connect to one of those names (the instance endpoint always matches; the cluster endpoint only through the SAN), " +
                       "or lower the check on purpose with -SslMode VerifyCA.";
            }

            if (certificate.DaysUntilExpiry < 0 || certificate.NotBefore > DateTime.UtcNow)
            {
                return $"TLS to {target} failed the validity check: the certificate is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}. Rotate the cluster's certificate authority.";
            }

            return $"TLS to {target} failed, although the certificate chains to {ca} and names '{diagnosis.ServerName}': {diagnosis.HandshakeError ?? "the handshake was refused"}.";
        }

        /// <summary>From the handshake error alone, when no probe could tell more.</summary>
        internal static string Undiagnosed(SqlConnectionOptions options, AuthenticationException authentication)
        {
            var target = $"{options.Endpoint}:{options.Port}";
            var ca = string.IsNullOrEmpty(options.SslCa) ? "the system's trusted CAs" : $"the CA file '{options.SslCa}'";
            var detail = authentication.Message;
            var restricted = options.TlsVersions.Count > 0 || options.TlsCipherSuites.Count > 0;
            var text = $"TLS to {target} failed: {detail} ";
            if (detail.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0 || !restricted)
            {
                text += $"The server's certificate could not be verified against {ca}";
                text += options.SslMode == SqlSslMode.VerifyFull
                    ? $", or it does not name '{options.Endpoint}'. "
                    : ". ";
                text += "Pass -SslCa with the RDS CA bundle (global-bundle.pem) and connect to a name the certificate carries: " +
                        "the instance endpoint always matches; the cluster endpoint matches only through the Subject Alternative Name. ";
            }

            if (restricted)
            {
                text += "The client restricted the TLS protocol or cipher suites (-TlsVersion/-TlsCipherSuite): the server may accept none of them; " +
                        "check with Test-AuroraTlsEndpoint which ones it accepts.";
            }

            return text.Trim();
        }
    }
}
