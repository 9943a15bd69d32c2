namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>One account's TLS requirement judged for compliance: every login must require TLS.</summary>
    public sealed class UserSslStatus
    {
        /// <summary>Judges one account; <paramref name="masterUser"/> is the cluster's master user name.</summary>
        public UserSslStatus(DbUser account, string masterUser)
        {
            User = account.User;
            Host = account.Host;
            SslType = account.SslType;
            AuthPlugin = account.AuthPlugin;
            IsIamUser = account.IsIamUser;
            IsReserved = account.IsReserved;
            IsRole = account.IsRole;
            IsMasterUser = string.Equals(account.User, masterUser, System.StringComparison.Ordinal);
        }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern.</summary>
        public string Host { get; }

        /// <summary>The TLS requirement (None, Any, X509, Specified).</summary>
        public SslType SslType { get; }

        /// <summary>The requirement as SQL says it: REQUIRE SSL, REQUIRE X509, REQUIRE NONE…</summary>
        public string Require => SslRequirement.Clause(SslType);

        /// <summary>True when the account must connect over TLS.</summary>
        public bool RequiresSsl => SslType != SslType.None;

        /// <summary>The authentication plugin.</summary>
        public string AuthPlugin { get; }

        /// <summary>True for IAM database authentication.</summary>
        public bool IsIamUser { get; }

        /// <summary>True for an account Aurora keeps for itself: listed, never counted as a failure.</summary>
        public bool IsReserved { get; }

        /// <summary>True for the cluster's master user.</summary>
        public bool IsMasterUser { get; }

        /// <summary>True for a role, which cannot log in.</summary>
        public bool IsRole { get; }

        /// <summary>True when the account requires TLS, or is reserved, or is a role (nothing logs in as a role).</summary>
        public bool Compliant => RequiresSsl || IsReserved || IsRole;
    }
}
