using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Sql
{
    /// <summary>What to test on one endpoint: a real login with the given TLS mode, and the certificate behind it.</summary>
    public sealed class TlsConnectionTestRequest
    {
        /// <summary>The host or address to connect to.</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The MySQL port.</summary>
        public int Port { get; set; } = 3306;

        /// <summary>The name the certificate must carry; the endpoint when null.</summary>
        public string? ServerName { get; set; }

        /// <summary>The database user.</summary>
        public string User { get; set; } = string.Empty;

        /// <summary>The password; it crosses only the verified channel, or the driver's scrambled plaintext handshake for the refusal test.</summary>
        public SecureString? Password { get; set; }

        /// <summary>The CA bundle.</summary>
        public string? SslCa { get; set; }

        /// <summary>How strictly to verify; VerifyFull by default.</summary>
        public SqlSslMode SslMode { get; set; } = SqlSslMode.VerifyFull;

        /// <summary>Seconds allowed for each connection.</summary>
        public int ConnectTimeoutSeconds { get; set; } = 15;
    }

    /// <summary>The TLS posture of one endpoint as a client sees it: the login, the negotiated protocol and cipher, the certificate, and the checks.</summary>
    public sealed class TlsConnectionReport
    {
        /// <summary>The endpoint tested.</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>The port tested.</summary>
        public int Port { get; internal set; }

        /// <summary>The name checked against the certificate.</summary>
        public string ServerName { get; internal set; } = string.Empty;

        /// <summary>A login succeeded over a channel that met SslMode; never true over an unverified channel unless SslMode asked for less.</summary>
        public bool Connected { get; internal set; }

        /// <summary>Connected, over TLS, with the chain and (VerifyFull) the name verified.</summary>
        public bool Verified { get; internal set; }

        /// <summary>Ssl_version of the login session.</summary>
        public string? TlsProtocol { get; internal set; }

        /// <summary>Ssl_cipher of the login session (OpenSSL spelling).</summary>
        public string? Cipher { get; internal set; }

        /// <summary>The certificate subject.</summary>
        public string? Subject { get; internal set; }

        /// <summary>The certificate issuer.</summary>
        public string? Issuer { get; internal set; }

        /// <summary>"DNS:…" and "IP:…" entries; empty without SAN.</summary>
        public IReadOnlyList<string> SubjectAlternativeNames { get; internal set; } = Array.Empty<string>();

        /// <summary>Start of validity, UTC.</summary>
        public DateTime? NotBefore { get; internal set; }

        /// <summary>End of validity, UTC.</summary>
        public DateTime? NotAfter { get; internal set; }

        /// <summary>Whole days until NotAfter.</summary>
        public int? DaysUntilExpiry { get; internal set; }

        /// <summary>SHA-1 thumbprint.</summary>
        public string? Thumbprint { get; internal set; }

        /// <summary>Whether the certificate chains to the CA file.</summary>
        public bool? ChainValid { get; internal set; }

        /// <summary>Whether the certificate names ServerName.</summary>
        public bool? HostnameMatches { get; internal set; }

        /// <summary>SAN, CN or None.</summary>
        public CertificateNameMatch MatchedBy { get; internal set; }

        /// <summary>The CA file used.</summary>
        public string? CaFile { get; internal set; }

        /// <summary>The TLS mode of the login.</summary>
        public SqlSslMode SslMode { get; internal set; }

        /// <summary>Whether a plaintext login was refused; null when no login under SslMode succeeded, so none was attempted.</summary>
        public bool? InsecureRefused { get; internal set; }

        /// <summary>What weakens the result (a lowered SslMode, plaintext accepted, expiry soon); empty when nothing does.</summary>
        public string Warning { get; internal set; } = string.Empty;

        /// <summary>Why the login was not made or failed.</summary>
        public string? Detail { get; internal set; }
    }

    /// <summary>Proves, endpoint by endpoint, that SQL connections are encrypted and verified, and that plaintext ones are refused.</summary>
    public static class TlsConnectionTester
    {
        /// <summary>Days before expiry from which a warning is given.</summary>
        public const int ExpiryWarningDays = 30;

        /// <summary>Tests one endpoint; failures are reported in the result, except invalid arguments and cancellation.</summary>
        public static async Task<TlsConnectionReport> TestAsync(TlsConnectionTestRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var serverName = string.IsNullOrEmpty(request.ServerName) ? request.Endpoint : request.ServerName!;
            var report = new TlsConnectionReport
            {
                Endpoint = request.Endpoint,
                Port = request.Port,
                ServerName = serverName,
                CaFile = request.SslCa,
                SslMode = request.SslMode,
            };
            var warnings = new List<string>();

            var probe = await TlsProbe.ProbeAsync(
                new TlsProbeRequest { Host = request.Endpoint, Port = request.Port, ServerName = serverName, Timeout = TimeSpan.FromSeconds(request.ConnectTimeoutSeconds) },
                cancellationToken).ConfigureAwait(false);
            if (!probe.Reached)
            {
                report.Detail = $"Could not reach a MySQL server at {request.Endpoint}:{request.Port}: {probe.Error}";
                return report;
            }

            if (probe.Certificate != null)
            {
                var certificate = probe.Certificate;
                report.Subject = certificate.Subject;
                report.Issuer = certificate.Issuer;
                report.SubjectAlternativeNames = certificate.SubjectAlternativeNames;
                report.NotBefore = certificate.NotBefore;
                report.NotAfter = certificate.NotAfter;
                report.DaysUntilExpiry = certificate.DaysUntilExpiry;
                report.Thumbprint = certificate.Thumbprint;
                var chain = CertificateChainValidator.Validate(certificate.Certificate, request.SslCa, probe.Intermediates);
                report.ChainValid = chain.Valid;
                report.MatchedBy = certificate.MatchHost(serverName);
                report.HostnameMatches = report.MatchedBy != CertificateNameMatch.None;
                if (!chain.Valid)
                {
                    report.Detail = $"Chain check failed: the certificate does not chain to {(string.IsNullOrEmpty(request.SslCa) ? "the system's trusted CAs" : "the CA file")} ({chain.Detail}).";
                }
                else if (report.HostnameMatches == false)
                {
                    report.Detail = $"Name check failed: the certificate does not name '{serverName}'.";
                }

                if (certificate.DaysUntilExpiry < ExpiryWarningDays)
                {
                    warnings.Add($"The certificate expires in {certificate.DaysUntilExpiry} days.");
                }
            }
            else
            {
                report.Detail = $"No TLS handshake: {probe.Error}";
            }

            var mayLogIn = request.SslMode < SqlSslMode.VerifyCA
                || (report.ChainValid == true && (request.SslMode < SqlSslMode.VerifyFull || report.HostnameMatches == true));
            var loggedIn = false;
            if (mayLogIn)
            {
                var outcome = await TryLoginAsync(request, request.SslMode, serverName, cancellationToken).ConfigureAwait(false);
                if (outcome.Session != null)
                {
                    using (outcome.Session)
                    {
                        loggedIn = true;
                        report.Connected = true;
                        report.TlsProtocol = outcome.Session.Encrypted ? outcome.Session.TlsProtocol : null;
                        report.Cipher = outcome.Session.Encrypted ? outcome.Session.TlsCipher : null;
                        report.Verified = outcome.Session.Encrypted && request.SslMode >= SqlSslMode.VerifyCA && report.ChainValid == true
                            && (request.SslMode < SqlSslMode.VerifyFull || report.HostnameMatches == true);
                    }
                }
                else
                {
                    report.Detail = outcome.Error!.Message;
                }
            }
            else
            {
                report.Detail = (report.Detail ?? "The channel could not be verified.") + $" No login was attempted under SslMode {request.SslMode}.";
            }

            // Credentials go to a plaintext attempt only once a login under SslMode has shown the server is the one meant.
            report.InsecureRefused = loggedIn ? await TestPlaintextRefusedAsync(request, cancellationToken).ConfigureAwait(false) : null;
            if (request.SslMode < SqlSslMode.VerifyFull)
            {
                warnings.Add(request.SslMode == SqlSslMode.VerifyCA
                    ? "SslMode VerifyCA does not verify the host name."
                    : $"SslMode {request.SslMode} does not verify the server's certificate.");
            }

            if (report.Connected && report.TlsProtocol == null)
            {
                warnings.Add("The login was not encrypted.");
            }

            if (report.InsecureRefused == false)
            {
                warnings.Add("The server accepts unencrypted logins: set require_secure_transport=ON in the cluster parameter group.");
            }

            report.Warning = string.Join(" ", warnings);
            return report;
        }

        private static async Task<bool?> TestPlaintextRefusedAsync(TlsConnectionTestRequest request, CancellationToken cancellationToken)
        {
            var outcome = await TryLoginAsync(request, SqlSslMode.None, null, cancellationToken).ConfigureAwait(false);
            if (outcome.Session != null)
            {
                outcome.Session.Dispose();
                return false;
            }

            // MariaDB refuses plaintext with 1045, the same answer as a wrong password; the same credentials just worked over TLS.
            return SqlErrorTranslator.IsPlaintextRefusal(outcome.Error!) ? true : (bool?)null;
        }

        private static async Task<(AuroraSqlSession? Session, AuroraSecurityException? Error)> TryLoginAsync(
            TlsConnectionTestRequest request, SqlSslMode mode, string? serverName, CancellationToken cancellationToken)
        {
            var options = new SqlConnectionOptions
            {
                Endpoint = request.Endpoint,
                Port = request.Port,
                User = request.User,
                Password = request.Password,
                SslMode = mode,
                SslCa = mode == SqlSslMode.None ? null : request.SslCa,
                TlsServerName = serverName,
                ConnectTimeoutSeconds = request.ConnectTimeoutSeconds,
                Pooling = false,
            };
            try
            {
                return (await AuroraConnectionFactory.OpenAsync(options, cancellationToken).ConfigureAwait(false), null);
            }
            catch (AuroraSecurityException error) when (error.Kind != FailureKind.InvalidArgument)
            {
                return (null, error);
            }
        }
    }
}
