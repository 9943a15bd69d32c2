using System;
using System.Threading;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Sql
{
    /// <summary>Turns AWS credentials into connection options whose password is a fresh IAM auth token for each physical connection.</summary>
    public static class IamDatabaseAuthentication
    {
        /// <summary>
        /// Sets the user and a token-making password provider; TLS stays as asked (VerifyFull by default), and the connection
        /// factory refuses SslMode None because the token is sent in clear text to the authentication plugin.
        /// </summary>
        public static SqlConnectionOptions Apply(SqlConnectionOptions options, IAwsCredentialSource credentials, string region, string dbUser, Func<DateTime>? utcNow = null)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            if (credentials is null) throw new ArgumentNullException(nameof(credentials));
            if (string.IsNullOrWhiteSpace(dbUser))
            {
                throw new AuroraSecurityException("SqlIamUserMissing", FailureKind.InvalidArgument, "IAM database authentication needs the database user: pass -DbUser.");
            }

            var clock = utcNow ?? (() => DateTime.UtcNow);
            var host = options.Endpoint;
            var port = options.Port;
            options.User = dbUser;
            options.Password = null;
            // The driver asks on its own thread, synchronously, once per physical connection: a token is valid for 15 minutes only.
            options.PasswordProvider = () =>
                RdsAuthTokenGenerator.Generate(credentials.GetCredentialsAsync(CancellationToken.None).GetAwaiter().GetResult(), region, host, port, dbUser, clock());
            return options;
        }
    }
}
