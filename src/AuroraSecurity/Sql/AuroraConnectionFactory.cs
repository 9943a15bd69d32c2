using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Engine;
using AuroraSecurity.Tls;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>The one place that opens SQL connections: TLS settings, credentials, and describing the server.</summary>
    public static class AuroraConnectionFactory
    {
        /// <summary>Opens and describes a session; failures come back as <see cref="AuroraSecurityException"/> with an actionable message.</summary>
        public static async Task<AuroraSqlSession> OpenAsync(SqlConnectionOptions options, CancellationToken cancellationToken = default)
        {
            Validate(options);
            var connection = CreateConnection(options);
            try
            {
                await OpenOrAbandonAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error) when (error is MySqlException || error is IOException || error is System.Security.Authentication.AuthenticationException || error is InvalidOperationException)
            {
                connection.Dispose();
                var diagnosis = await DiagnoseTlsAsync(error, options, cancellationToken).ConfigureAwait(false);
                throw SqlErrorTranslator.TranslateConnect(error, options, diagnosis);
            }

            var session = new AuroraSqlSession(connection, options);
            try
            {
                await DescribeAsync(session, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                session.Dispose();
                throw;
            }

            return session;
        }

        // The driver does not watch the token while it waits for the server's greeting, so a port that accepts and stays
        // silent would hold Ctrl+C until the connect timeout. A cancelled caller gets control back at once; the abandoned
        // attempt is closed when the driver gives up on it.
        private static async Task OpenOrAbandonAsync(MySqlConnection connection, CancellationToken cancellationToken)
        {
            var open = connection.OpenAsync(cancellationToken);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(open, cancelled.Task).ConfigureAwait(false) != open)
                {
                    _ = open.ContinueWith(
                        attempt =>
                        {
                            _ = attempt.Exception;
                            connection.Dispose();
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            try
            {
                await open.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>Builds the driver connection without opening it; the password goes only into the driver.</summary>
        internal static MySqlConnection CreateConnection(SqlConnectionOptions options)
        {
            var verifyOurselves = VerifiesAnotherName(options);
            var builder = new MySqlConnectionStringBuilder
            {
                Server = options.Endpoint,
                Port = checked((uint)options.Port),
                UserID = options.User,
                SslMode = ToDriver(options.SslMode),
                ConnectionTimeout = checked((uint)Math.Max(1, options.ConnectTimeoutSeconds)),
                Pooling = options.Pooling,
                PersistSecurityInfo = false,
                AllowPublicKeyRetrieval = false,
                AllowLoadLocalInfile = false,
                AllowUserVariables = false,
            };
            if (verifyOurselves)
            {
                // The driver checks names against the host it dials; the name to verify is another, so the chain and name checks run here instead.
                builder.SslMode = MySqlSslMode.Required;
            }
            else if (!string.IsNullOrEmpty(options.SslCa))
            {
                builder.SslCa = options.SslCa;
            }

            if (!string.IsNullOrEmpty(options.Database))
            {
                builder.Database = options.Database;
            }

            if (options.TlsVersions.Count > 0)
            {
                builder.TlsVersion = string.Join(",", TlsVersionsForDriver(options));
            }

            if (options.TlsCipherSuites.Count > 0)
            {
                builder.TlsCipherSuites = string.Join(",", TlsCipherNames.ToIana(options.TlsCipherSuites));
            }

            if (options.PasswordProvider == null && options.Password != null)
            {
                builder.Password = Reveal(options.Password);
            }

            var connection = new MySqlConnection(builder.ConnectionString);
            if (verifyOurselves)
            {
                connection.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => Verify(certificate, chain, options);
            }

            if (options.PasswordProvider != null)
            {
                var provider = options.PasswordProvider;
                connection.ProvidePasswordCallback = _ => provider();
            }

            return connection;
        }

        private static bool VerifiesAnotherName(SqlConnectionOptions options) =>
            options.SslMode >= SqlSslMode.VerifyCA
            && !string.IsNullOrEmpty(options.TlsServerName)
            && !string.Equals(options.TlsServerName, options.Endpoint, StringComparison.OrdinalIgnoreCase);

        private static bool Verify(X509Certificate? certificate, X509Chain? chain, SqlConnectionOptions options)
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

        // After a failed handshake, a probe that trusts nothing finds out which check failed, so the message can name it.
        private static async Task<TlsDiagnosis?> DiagnoseTlsAsync(Exception error, SqlConnectionOptions options, CancellationToken cancellationToken)
        {
            var tlsFailure = false;
            for (var current = error; current != null; current = current.InnerException)
            {
                tlsFailure |= current is System.Security.Authentication.AuthenticationException;
            }

            // A driver error (not the server's) under a mode that insists on TLS may mean the server offered none.
            var driverFailure = error is MySqlException mysql && (mysql.Number == 0 || mysql.Number == SqlErrorTranslator.UnableToConnect);
            if (SqlSslModes.MayFallBackToPlaintext(options.SslMode) || !(tlsFailure || driverFailure))
            {
                return null;
            }

            try
            {
                return await TlsDiagnosis.RunAsync(
                    options.Endpoint,
                    options.Port,
                    options.TlsServerName,
                    options.TlsVersions,
                    TlsCipherNames.ToIana(options.TlsCipherSuites),
                    options.SslCa,
                    TimeSpan.FromSeconds(Math.Max(1, options.ConnectTimeoutSeconds)),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception probeError) when (!(probeError is OperationCanceledException))
            {
                return null;
            }
        }

        private static string[] TlsVersionsForDriver(SqlConnectionOptions options)
        {
            var result = new string[options.TlsVersions.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = TlsCipherNames.NormalizeProtocol(options.TlsVersions[i]);
            }

            return result;
        }

        private static void Validate(SqlConnectionOptions options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Endpoint))
            {
                throw new AuroraSecurityException("SqlEndpointMissing", FailureKind.InvalidArgument, "An endpoint is required: pass -Endpoint with the cluster or instance endpoint.");
            }

            if (options.Port < 1 || options.Port > 65535)
            {
                throw new AuroraSecurityException("SqlPortInvalid", FailureKind.InvalidArgument, $"Port {options.Port} is not valid; Aurora MySQL listens on 3306 unless the cluster says otherwise.");
            }

            if (string.IsNullOrEmpty(options.User))
            {
                throw new AuroraSecurityException("SqlUserMissing", FailureKind.InvalidArgument, "A database user is required: pass -SqlCredential (Get-Credential) or -DbUser with -IamAuthentication.");
            }

            if (options.PasswordProvider != null && SqlSslModes.MayFallBackToPlaintext(options.SslMode))
            {
                // An IAM token is sent in clear text to the authentication plugin: only a connection that is always encrypted may carry it.
                throw new AuroraSecurityException(
                    "SqlIamAuthenticationNeedsTls",
                    FailureKind.InvalidArgument,
                    $"IAM database authentication sends its token in clear text as the password, so it needs a connection that is always encrypted: -SslMode {options.SslMode} can fall back to plaintext. " +
                    "Use -SslMode VerifyFull (the default) with -SslCa <RDS CA bundle>, or at least Required or VerifyCA.");
            }

            foreach (var version in options.TlsVersions)
            {
                try
                {
                    TlsCipherNames.NormalizeProtocol(version);
                }
                catch (ArgumentException)
                {
                    throw new AuroraSecurityException("SqlTlsVersionUnknown", FailureKind.InvalidArgument, $"'{version}' is not a TLS protocol version. Use TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3.");
                }
            }

            foreach (var cipher in options.TlsCipherSuites)
            {
                if (!TlsCipherNames.TryToIana(cipher, out _))
                {
                    throw TlsCipherNames.UnknownCipher(cipher);
                }
            }

            if (options.TlsCipherSuites.Count > 0 && !TlsProbe.CipherRestrictionSupported)
            {
                throw new AuroraSecurityException(
                    "SqlTlsCipherRestrictionUnsupported",
                    FailureKind.InvalidArgument,
                    "This platform cannot restrict TLS cipher suites (Windows, or Windows PowerShell 5.1): leave out -TlsCipherSuite, or run PowerShell 7 on Linux or macOS.");
            }

            if (!string.IsNullOrEmpty(options.SslCa) && Directory.Exists(options.SslCa))
            {
                throw new AuroraSecurityException(
                    "SqlCaFileIsDirectory",
                    FailureKind.InvalidArgument,
                    $"-SslCa '{options.SslCa}' is a directory, not a file. Pass the path of the CA bundle file itself (global-bundle.pem for RDS).");
            }

            if (!string.IsNullOrEmpty(options.SslCa) && !File.Exists(options.SslCa))
            {
                throw new AuroraSecurityException(
                    "SqlCaFileNotFound",
                    FailureKind.InvalidArgument,
                    $"The CA file '{options.SslCa}' does not exist. Download the RDS CA bundle (global-bundle.pem) and pass its path with -SslCa.");
            }
        }

        private static async Task DescribeAsync(AuroraSqlSession session, CancellationToken cancellationToken)
        {
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = "SELECT VERSION(), CONNECTION_ID(), @@SESSION.sql_mode";
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    session.ServerVersion = reader.GetString(0);
                    session.ConnectionId = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                    var sqlMode = reader.IsDBNull(2) ? string.Empty : reader.GetString(2);
                    session.Quoting = new SqlQuoting(sqlMode.IndexOf("NO_BACKSLASH_ESCAPES", StringComparison.OrdinalIgnoreCase) >= 0);
                }
            }

            session.AuroraVersion = await TryAuroraVersionAsync(session, cancellationToken).ConfigureAwait(false);
            if (session.AuroraVersion != null && AuroraEngineVersion.TryParse(session.AuroraVersion, out var engine, out _))
            {
                session.ServerKind = ServerKind.AuroraMySql;
                session.EngineVersion = engine;
                session.MySqlCompatibility = engine!.MySqlCompatibility;
            }
            else if (session.ServerVersion.IndexOf("MariaDB", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                session.ServerKind = ServerKind.MariaDb;
                session.MySqlCompatibility = "8.0";
            }
            else
            {
                session.ServerKind = ServerKind.MySql;
                session.MySqlCompatibility = session.ServerVersion.StartsWith("5.6", StringComparison.Ordinal) ? "5.6"
                    : session.ServerVersion.StartsWith("5.7", StringComparison.Ordinal) ? "5.7" : "8.0";
            }

            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var value = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                        if (string.Equals(reader.GetString(0), "Ssl_version", StringComparison.OrdinalIgnoreCase))
                        {
                            session.TlsProtocol = value;
                        }
                        else
                        {
                            session.TlsCipher = value;
                        }
                    }
                }
            }
        }

        private static async Task<string?> TryAuroraVersionAsync(AuroraSqlSession session, CancellationToken cancellationToken)
        {
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = "SELECT AURORA_VERSION()";
                    var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return value as string;
                }
            }
            // With a default database, MariaDB looks AURORA_VERSION up as a stored function there and answers 1370 to a user without EXECUTE.
            catch (MySqlException error) when (error.Number == SqlErrorTranslator.FunctionDoesNotExist || error.Number == SqlErrorTranslator.ProcedureAccessDenied)
            {
                return null;
            }
        }

        private static MySqlSslMode ToDriver(SqlSslMode mode)
        {
            switch (mode)
            {
                case SqlSslMode.None: return MySqlSslMode.None;
                case SqlSslMode.Preferred: return MySqlSslMode.Preferred;
                case SqlSslMode.Required: return MySqlSslMode.Required;
                case SqlSslMode.VerifyCA: return MySqlSslMode.VerifyCA;
                default: return MySqlSslMode.VerifyFull;
            }
        }

        internal static string Reveal(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
