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

        /// <summary>The password; it is sent only for the login under SslMode, never over the unencrypted probe.</summary>
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
        public DateTimeOffset? NotBefore { get; internal set; }

        /// <summary>End of validity, UTC.</summary>
        public DateTimeOffset? NotAfter { get; internal set; }

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

        /// <summary>
        /// Whether the server refuses unencrypted logins: its require_secure_transport read over the session that logged in, unless an
        /// unencrypted login without a password says otherwise. Null when that could not be learnt. No credential is sent without TLS to find out.
        /// </summary>
        public bool? InsecureRefused { get; internal set; }

        /// <summary>What InsecureRefused rests on: the setting read and how an unencrypted login carrying no secret was answered.</summary>
        public string InsecureEvidence { get; internal set; } = string.Empty;

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
            report.InsecureEvidence = string.Empty;

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
            if (mayLogIn)
            {
                var outcome = await TryLoginAsync(request, request.SslMode, serverName, cancellationToken).ConfigureAwait(false);
                if (outcome.Session != null)
                {
                    using (outcome.Session)
                    {
                        report.Connected = true;
                        report.TlsProtocol = outcome.Session.Encrypted ? outcome.Session.TlsProtocol : null;
                        report.Cipher = outcome.Session.Encrypted ? outcome.Session.TlsCipher : null;
                        report.Verified = outcome.Session.Encrypted && request.SslMode >= SqlSslMode.VerifyCA && report.ChainValid == true
                            && (request.SslMode < SqlSslMode.VerifyFull || report.HostnameMatches == true);
                        await TestPlaintextRefusedAsync(request, outcome.Session, report, warnings, cancellationToken).ConfigureAwait(false);
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

            if (!report.Connected)
            {
                report.InsecureEvidence = $"Not tested: no login under SslMode {request.SslMode} succeeded, so the server's require_secure_transport could not be read.";
            }

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

        // No credential ever crosses an unencrypted connection here. The server's own setting is read over the session that
        // just logged in under SslMode; the wire is asked only with the user name and an empty answer, and a request to
        // switch to another plugin (mysql_clear_password above all) ends the probe without a reply.
        private static async Task TestPlaintextRefusedAsync(
            TlsConnectionTestRequest request, AuroraSqlSession session, TlsConnectionReport report, List<string> warnings, CancellationToken cancellationToken)
        {
            if (!session.Encrypted)
            {
                report.InsecureRefused = false;
                report.InsecureEvidence = $"The login under SslMode {request.SslMode} itself was made without TLS.";
                return;
            }

            var channel = report.Verified ? "the verified TLS session" : $"the unverified TLS session (SslMode {request.SslMode})";
            var (setting, settingError) = await ReadRequireSecureTransportAsync(session, cancellationToken).ConfigureAwait(false);
            var wire = await PlaintextLoginProbe.ProbeAsync(
                request.Endpoint, request.Port, request.User, TimeSpan.FromSeconds(request.ConnectTimeoutSeconds), cancellationToken).ConfigureAwait(false);

            var facts = new List<string>();
            facts.Add(setting.HasValue
                ? $"require_secure_transport is {(setting.Value ? "ON" : "OFF")} (read over {channel})."
                : $"require_secure_transport could not be read over {channel}: {settingError}");
            facts.Add("An unencrypted login as '" + request.User + "' carrying no password " + DescribeWire(wire));

            if (wire.Answer == PlaintextLoginAnswer.Accepted)
            {
                report.InsecureRefused = false;
                warnings.Add($"The server logged '{request.User}' in over an unencrypted connection without any password.");
            }
            else if (wire.Answer == PlaintextLoginAnswer.Refused && wire.ErrorCode == SqlErrorTranslator.InsecureTransportProhibited)
            {
                report.InsecureRefused = true;
            }
            else
            {
                report.InsecureRefused = setting;
            }

            if (wire.SwitchIsClearText)
            {
                warnings.Add($"Over an unencrypted connection the server asked for the password in clear text ({wire.SwitchPlugin}); none was sent.");
            }

            report.InsecureEvidence = string.Join(" ", facts);
        }

        private static string DescribeWire(PlaintextLoginResult wire)
        {
            switch (wire.Answer)
            {
                case PlaintextLoginAnswer.Accepted:
                    return "was accepted.";
                case PlaintextLoginAnswer.Refused:
                    return $"was refused with error {wire.ErrorCode}: {wire.ErrorText}";
                case PlaintextLoginAnswer.SwitchRequested:
                    return $"was asked to continue with {wire.SwitchPlugin}; the probe stopped there and sent nothing more.";
                default:
                    return wire.Greeted ? $"got no answer: {wire.Error}" : $"could not be made: {wire.Error}";
            }
        }

        private static async Task<(bool? Value, string? Error)> ReadRequireSecureTransportAsync(AuroraSqlSession session, CancellationToken cancellationToken)
        {
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = "SELECT @@GLOBAL.require_secure_transport";
                    var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    var on = Engine.ParameterValues.OnOff(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    return on.HasValue ? (on, null) : (null, $"the server answered '{value}'.");
                }
            }
            catch (MySqlConnector.MySqlException error)
            {
                // Aurora MySQL 1 (5.6) has no such variable (1193).
                return (null, $"error {error.Number}: {error.Message}");
            }
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
