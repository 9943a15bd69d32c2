using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Tls;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// The one place that opens SQL connections: it validates the options, builds the driver's TLS settings, opens, and
    /// describes the server; a failed handshake is diagnosed so the error can name the check that failed.
    /// </summary>
    public static class AuroraConnectionFactory
    {
        /// <summary>Opens and describes a session; failures come back as <see cref="AuroraSecurityException"/> with an actionable message.</summary>
        public static async Task<AuroraSqlSession> OpenAsync(SqlConnectionOptions options, CancellationToken cancellationToken = default)
        {
            SqlConnectionValidation.Validate(options);
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
                var unreachable = await DescribeUnreachableAsync(error, diagnosis, options, cancellationToken).ConfigureAwait(false);
                throw SqlErrorTranslator.TranslateConnect(error, options, diagnosis, unreachable);
            }

            var session = new AuroraSqlSession(connection, options);
            try
            {
                await SqlServerDescription.DescribeAsync(session, cancellationToken).ConfigureAwait(false);
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
            var verifyOurselves = ServerCertificateVerification.VerifiesItself(options);
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
                // The driver encrypts and the module checks the certificate (ServerCertificateVerification): the chain against
                // the CA file, parsed once rather than per connection, and the name, which may be another than the host dialled.
                builder.SslMode = MySqlSslMode.Required;
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
                builder.Password = SqlSecrets.Reveal(options.Password);
            }

            var connection = new MySqlConnection(builder.ConnectionString);
            if (verifyOurselves)
            {
                connection.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => ServerCertificateVerification.Verify(certificate, chain, errors, options);
            }

            if (options.PasswordProvider != null)
            {
                var provider = options.PasswordProvider;
                connection.ProvidePasswordCallback = _ => provider();
            }

            return connection;
        }

        // After a failed handshake, a probe that trusts nothing finds out which check failed, so the message can name it.
        // The driver says "unable to connect" for a name that does not resolve, a closed port and a filtered one alike.
        private static async Task<string?> DescribeUnreachableAsync(Exception error, TlsDiagnosis? diagnosis, SqlConnectionOptions options, CancellationToken cancellationToken)
        {
            if (!(error is MySqlException mysql) || !(mysql.Number == SqlErrorTranslator.UnableToConnect || mysql.ErrorCode == MySqlErrorCode.UnableToConnectToHost) || diagnosis?.Reached == true)
            {
                return null;
            }

            for (var current = (Exception?)error; current != null; current = current.InnerException)
            {
                if (current is System.Security.Authentication.AuthenticationException) return null;
            }

            return await EndpointReachability.DescribeAsync(options.Endpoint, options.Port, EndpointReachability.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        }

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
    }
}
