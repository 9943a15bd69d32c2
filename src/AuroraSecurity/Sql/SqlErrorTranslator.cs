using System;
using System.Linq;
using System.Security.Authentication;
using AuroraSecurity.Tls;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// The one place that turns server and driver errors into exceptions with a stable id and a message that says what
    /// happened and what to do. Why a TLS handshake failed is told by <see cref="TlsFailureExplanation"/>; secrets are
    /// taken out of server text by <see cref="SqlSecrets"/>.
    /// </summary>
    public static class SqlErrorTranslator
    {
        /// <summary>MySQL 8.0 / Aurora MySQL: "Connections using insecure transport are prohibited while --require_secure_transport=ON."</summary>
        public const int InsecureTransportProhibited = 3159;

        /// <summary>Access denied for user.</summary>
        public const int AccessDenied = 1045;

        /// <summary>Aurora MySQL (MySQL 8.0): account is locked.</summary>
        public const int AccountLockedMySql = 3118;

        /// <summary>MariaDB: account is locked.</summary>
        public const int AccountLockedMariaDb = 4151;

        /// <summary>Unable to connect to any of the specified hosts (the driver's code, also used for TLS failures).</summary>
        public const int UnableToConnect = 1042;

        /// <summary>Unknown thread id (rds_kill on a session that has gone).</summary>
        public const int UnknownThread = 1094;

        /// <summary>FUNCTION does not exist (AURORA_VERSION() on a server that is not Aurora).</summary>
        public const int FunctionDoesNotExist = 1305;

        /// <summary>Query execution was interrupted (the victim of rds_kill_query).</summary>
        public const int QueryInterrupted = 1317;

        /// <summary>EXECUTE command denied (no EXECUTE on mysql.rds_kill).</summary>
        public const int ProcedureAccessDenied = 1370;

        /// <summary>MariaDB: Connection was killed.</summary>
        public const int ConnectionKilled = 1927;

        /// <summary>Access denied; you need the PROCESS privilege or another one.</summary>
        public const int SpecificAccessDenied = 1227;

        /// <summary>CREATE/ALTER/DROP/RENAME USER failed (the account exists already, or does not).</summary>
        public const int UserOperationFailed = 1396;

        /// <summary>Can't find any matching row in the user table.</summary>
        public const int NoMatchingUserRow = 1133;

        /// <summary>The authentication plugin is not loaded (AWSAuthenticationPlugin outside Aurora, e.g. MariaDB).</summary>
        public const int PluginNotLoaded = 1524;

        /// <summary>There is no such grant defined for the user.</summary>
        public const int NoSuchGrant = 1141;

        /// <summary>An account that does not exist; <paramref name="what"/> says which and where.</summary>
        public static AuroraSecurityException AccountNotFound(string what) =>
            new AuroraSecurityException("AccountNotFound", FailureKind.NotFound, $"{what} Check the user and host with Get-AuroraDbUser.");

        /// <summary>Translates a failed account statement (CREATE USER, GRANT, …); <paramref name="secret"/> is scrubbed from the server's text.</summary>
        public static AuroraSecurityException TranslateAccountStatement(MySqlException error, string action, string account, string? secret = null)
        {
            var serverText = SqlSecrets.Scrub(error.Message, secret);
            var what = $"Could not {action} {account} (error {error.Number})";
            switch (error.Number)
            {
                case PluginNotLoaded:
                    return new AuroraSecurityException(
                        "IamPluginMissing",
                        FailureKind.InvalidOperation,
                        $"{what}: the server has no AWSAuthenticationPlugin, so it cannot create IAM database users. IAM authentication exists only on Aurora MySQL and RDS for MySQL; create the account with a password (-UserCredential) instead.");
                case UserOperationFailed:
                    return new AuroraSecurityException(
                        action.StartsWith("create", StringComparison.OrdinalIgnoreCase) ? "AccountExists" : "AccountOperationFailed",
                        FailureKind.InvalidOperation,
                        action.StartsWith("create", StringComparison.OrdinalIgnoreCase)
                            ? $"{what}: the account exists already. Use Get-AuroraDbUser to see it."
                            : $"{what}: the account does not exist, or the new name is taken. Check with Get-AuroraDbUser.");
                case NoMatchingUserRow:
                case NoSuchGrant:
                    return AccountNotFound($"{what}: {serverText}");
                case 1044:
                case 1045:
                case 1142:
                case 1227:
                case 1410:
                    return new AuroraSecurityException("AccountPermissionDenied", FailureKind.PermissionDenied, $"{what}: {serverText} Connect as the master user or an account with CREATE USER and GRANT OPTION.");
                default:
                    return new AuroraSecurityException("AccountStatementFailed", FailureKind.ServiceError, $"{what}: {serverText}");
            }
        }

        private const string InsecureTransportRefusedId = "SqlInsecureTransportRefused";
        private const string AccessDeniedId = "SqlAccessDenied";

        /// <summary>
        /// Whether a failed plaintext login was the server refusing plaintext: Aurora's 3159, or MariaDB's 1045 for
        /// credentials that just worked over TLS.
        /// </summary>
        public static bool IsPlaintextRefusal(AuroraSecurityException error) =>
            error != null && (error.ErrorId == InsecureTransportRefusedId || error.ErrorId == AccessDeniedId);

        private const string TlsHint = "connect with -SslMode VerifyFull -SslCa <RDS CA bundle, e.g. global-bundle.pem>";

        /// <summary>Translates a failure to open a connection.</summary>
        public static AuroraSecurityException TranslateConnect(Exception error, SqlConnectionOptions options, TlsDiagnosis? diagnosis = null)
        {
            var target = $"{options.Endpoint}:{options.Port}";
            var mysql = error as MySqlException ?? error.InnerException as MySqlException;
            var authentication = FindInner<AuthenticationException>(error);

            if (diagnosis?.ServerOffersTls == false)
            {
                return new AuroraSecurityException(
                    "SqlServerOffersNoTls",
                    FailureKind.SecurityError,
                    $"The server at {target} offers no TLS (its MySQL greeting does not include SSL support), and -SslMode {options.SslMode} needs it: nothing was sent. " +
                    "Aurora MySQL always offers TLS, so check that the endpoint is the cluster's and that nothing in between (a proxy or tunnel) strips TLS.",
                    error);
            }

            if (mysql?.Number == InsecureTransportProhibited)
            {
                return new AuroraSecurityException(
                    InsecureTransportRefusedId,
                    FailureKind.SecurityError,
                    $"The server at {target} requires TLS (error 3159: require_secure_transport=ON refuses unencrypted connections); {TlsHint}.",
                    error);
            }

            if (mysql?.Number == AccessDenied)
            {
                var text = $"Access denied for user '{options.User}' at {target} (error 1045). Check the user name and password.";
                if (SqlSslModes.MayFallBackToPlaintext(options.SslMode))
                {
                    // MariaDB answers 1045 where Aurora answers 3159, so a refused plaintext login looks like a bad password.
                    text += $" The connection {(options.SslMode == SqlSslMode.None ? "was" : "may have been")} not encrypted (SslMode {options.SslMode}): if the server requires TLS (require_secure_transport=ON or the account has REQUIRE SSL), {TlsHint}.";
                }

                return new AuroraSecurityException(AccessDeniedId, FailureKind.SecurityError, text, error);
            }

            if (mysql?.Number == AccountLockedMySql || mysql?.Number == AccountLockedMariaDb)
            {
                return new AuroraSecurityException(
                    "SqlAccountLocked",
                    FailureKind.SecurityError,
                    $"The account '{options.User}' is locked at {target} (error {mysql.Number}). An administrator can unlock it with ALTER USER ... ACCOUNT UNLOCK.",
                    error);
            }

            if (authentication != null)
            {
                return new AuroraSecurityException(
                    "SqlTlsVerificationFailed",
                    FailureKind.SecurityError,
                    diagnosis?.Reached == true ? TlsFailureExplanation.Diagnosed(options, diagnosis) : TlsFailureExplanation.Undiagnosed(options, authentication),
                    error);
            }

            if (mysql?.Number == UnableToConnect || mysql?.ErrorCode == MySqlErrorCode.UnableToConnectToHost)
            {
                return new AuroraSecurityException(
                    "SqlUnableToConnect",
                    FailureKind.ConnectionError,
                    $"Could not connect to {target}: {mysql.Message} Check the endpoint, the port and that a security group lets this machine in.",
                    error);
            }

            var detail = mysql != null ? $" (error {mysql.Number}): {mysql.Message}" : ": " + error.Message;
            return new AuroraSecurityException("SqlConnectFailed", FailureKind.ConnectionError, $"Connecting to {target} failed{detail}", error);
        }

        /// <summary>Why CALL mysql.rds_kill / rds_kill_query failed for a session, in words a DBA can act on.</summary>
        public static string DescribeKillFailure(MySqlException error, long id, string procedure)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            switch (error.Number)
            {
                case FunctionDoesNotExist:
                    return $"{procedure} does not exist on this server (error 1305): it is provided by Amazon RDS and Aurora MySQL. Session {id} was not ended.";
                case ProcedureAccessDenied:
                    return $"The user may not run {procedure} (error 1370). Grant EXECUTE on it, or connect as the master user. Session {id} was not ended.";
                default:
                    return $"{procedure}({id}) failed (error {error.Number}): {error.Message}";
            }
        }

        /// <summary>Translates a failed statement on an open session.</summary>
        public static AuroraSecurityException TranslateStatement(MySqlException error, AuroraSqlSession session, string what)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            if (session is null) throw new ArgumentNullException(nameof(session));
            // Number 0 is the driver's own failure, such as a connection the server has closed; 1927 is MariaDB's "Connection was killed".
            if (error.Number == 0 || error.Number == ConnectionKilled)
            {
                return new AuroraSecurityException(
                    "SqlSessionLost",
                    FailureKind.ConnectionError,
                    $"{what} on {session.Endpoint}:{session.Port} failed: the connection is gone (ended by the server, rds_kill or a network failure). Open a new session with Connect-AuroraMySql.",
                    error);
            }

            if (error.Number == SpecificAccessDenied || error.Number == AccessDenied)
            {
                return new AuroraSecurityException(
                    "SqlPermissionDenied",
                    FailureKind.PermissionDenied,
                    $"{what} on {session.Endpoint}:{session.Port} was denied to '{session.User}' (error {error.Number}): {error.Message}",
                    error);
            }

            return new AuroraSecurityException(
                "SqlStatementFailed",
                FailureKind.ServiceError,
                $"{what} on {session.Endpoint}:{session.Port} failed (error {error.Number}): {error.Message}",
                error);
        }

        private static T? FindInner<T>(Exception? error)
            where T : Exception
        {
            for (var current = error; current != null; current = current.InnerException)
            {
                if (current is T found)
                {
                    return found;
                }
            }

            return null;
        }
    }
}
