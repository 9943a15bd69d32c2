namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>An account's TLS requirement in the words of CREATE USER / ALTER USER (REQUIRE SSL), as DBAs write it.</summary>
    public static class SslRequirement
    {
        /// <summary>REQUIRE NONE, REQUIRE SSL, REQUIRE X509, or REQUIRE SUBJECT/ISSUER/CIPHER.</summary>
        public static string Clause(SslType sslType)
        {
            switch (sslType)
            {
                case SslType.Any: return "REQUIRE SSL";
                case SslType.X509: return "REQUIRE X509";
                case SslType.Specified: return "REQUIRE SUBJECT/ISSUER/CIPHER";
                default: return "REQUIRE NONE";
            }
        }
    }
}
