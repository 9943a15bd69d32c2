namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>An account's TLS requirement, from mysql.user.ssl_type ('', ANY, X509, SPECIFIED).</summary>
    public enum SslType
    {
        /// <summary>No requirement (ssl_type ''): the account may log in without TLS.</summary>
        None,

        /// <summary>REQUIRE SSL (ssl_type ANY).</summary>
        Any,

        /// <summary>REQUIRE X509: TLS with a valid client certificate.</summary>
        X509,

        /// <summary>REQUIRE CIPHER/ISSUER/SUBJECT.</summary>
        Specified,
    }
}
