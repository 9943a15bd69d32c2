namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>What Set-AuroraUserSsl did to one account.</summary>
    public sealed class UserSslChange
    {
        /// <summary>Creates the result.</summary>
        public UserSslChange(string user, string host, SslType previousSslType, SslType sslType, bool changed)
        {
            User = user;
            Host = host;
            PreviousSslType = previousSslType;
            SslType = sslType;
            Result = changed ? "Changed" : "Unchanged";
        }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern.</summary>
        public string Host { get; }

        /// <summary>The requirement before.</summary>
        public SslType PreviousSslType { get; }

        /// <summary>The requirement now.</summary>
        public SslType SslType { get; }

        /// <summary>The requirement before, as SQL says it (REQUIRE NONE).</summary>
        public string PreviousRequire => SslRequirement.Clause(PreviousSslType);

        /// <summary>The requirement now, as SQL says it (REQUIRE SSL).</summary>
        public string Require => SslRequirement.Clause(SslType);

        /// <summary>Changed, or Unchanged when the account already had the requirement (no SQL was sent).</summary>
        public string Result { get; }
    }
}
