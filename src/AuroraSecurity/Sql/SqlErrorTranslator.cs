using System;
using System.Linq;
using System.Security.Authentication;
using AuroraSecurity.Tls;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>The one place that turns server and driver errors into messages that say what happened and what to do.</summary>
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
            var serverText = Scrub(error.Message, secret);
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

        // Server messages quote the statement near a syntax error, which could carry a password.
        internal static string Scrub(string message, string? secret)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return message;
            }

            var text = secret!;
            var result = message.Replace(text, "********");
            // The statement carried the secret as SqlQuoting wrote it, in either backslash mode.
            foreach (var form in new[] { SqlQuoting.Default.Escape(text), new SqlQuoting(noBackslashEscapes: true).Escape(text) })
            {
                result = result.Replace(form, "********");
            }

            // A fragment of the secret can survive when the server cut its quote short; drop the quote entirely then.
            return result.IndexOf(text.Substring(0, Math.Min(4, text.Length)), StringComparison.Ordinal) >= 0 && text.Length >= 4
                ? "The server rejected the statement; its text is not shown because it contains the password."
                : result;
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
                    diagnosis?.Reached == true ? DescribeDiagnosedTlsFailure(options, diagnosis) : DescribeTlsFailure(options, authentication),
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

        private static string DescribeDiagnosedTlsFailure(SqlConnectionOptions options, TlsDiagnosis diagnosis)
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

        private static string DescribeTlsFailure(SqlConnectionOptions options, AuthenticationException authentication)
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
