namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>What setting an account's TLS requirement would do, read before anything is asked or sent.</summary>
    public sealed class UserSslPlan
    {
        internal UserSslPlan(string account, string user, string host, SslType previousSslType, SslType sslType)
        {
            Account = account;
            User = user;
            Host = host;
            PreviousSslType = previousSslType;
            SslType = sslType;
        }

        /// <summary>The account as SQL names it ('user'@'host').</summary>
        public string Account { get; }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern, normalised.</summary>
        public string Host { get; }

        /// <summary>The requirement the account has now.</summary>
        public SslType PreviousSslType { get; }

        /// <summary>The requirement wanted.</summary>
        public SslType SslType { get; }

        /// <summary>False when the account already has the requirement: nothing would be sent.</summary>
        public bool NeedsChange => PreviousSslType != SslType;

        /// <summary>The action, in the words ShouldProcess shows.</summary>
        public string Action => $"Set the TLS requirement to {SslRequirement.Clause(SslType)} (now {SslRequirement.Clause(PreviousSslType)})";
    }
}
