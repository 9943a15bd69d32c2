namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>One account (or role) as mysql.user describes it.</summary>
    public sealed class DbUser
    {
        /// <summary>Creates the description of one account.</summary>
        public DbUser(string user, string host, string authPlugin, SslType sslType, bool isRole)
        {
            User = user;
            Host = host;
            AuthPlugin = authPlugin;
            SslType = sslType;
            IsRole = isRole;
            IsReserved = ReservedAccounts.IsReserved(user);
        }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern ('%' for any host; empty for MariaDB roles).</summary>
        public string Host { get; }

        /// <summary>The authentication plugin (mysql_native_password, caching_sha2_password, AWSAuthenticationPlugin…).</summary>
        public string AuthPlugin { get; }

        /// <summary>The account's TLS requirement.</summary>
        public SslType SslType { get; }

        /// <summary>The requirement as SQL says it: REQUIRE SSL, REQUIRE X509, REQUIRE NONE…</summary>
        public string Require => SslRequirement.Clause(SslType);

        /// <summary>True when the account must connect over TLS (REQUIRE SSL, X509 or SPECIFIED).</summary>
        public bool RequiresSsl => SslType != SslType.None;

        /// <summary>True for IAM database authentication (AWSAuthenticationPlugin).</summary>
        public bool IsIamUser => string.Equals(AuthPlugin, AccountStatements.IamPlugin, System.StringComparison.OrdinalIgnoreCase);

        /// <summary>True for a role rather than a login.</summary>
        public bool IsRole { get; }

        /// <summary>True for an account Aurora keeps for itself.</summary>
        public bool IsReserved { get; }

        /// <inheritdoc />
        public override string ToString() => $"'{User}'@'{Host}'";
    }
}
