namespace AuroraSecurity.Sql
{
    /// <summary>How much of TLS a SQL connection insists on; VerifyFull (chain and host name) unless the user asks for less.</summary>
    public enum SqlSslMode
    {
        /// <summary>No TLS at all.</summary>
        None,

        /// <summary>TLS when the server offers it, unverified.</summary>
        Preferred,

        /// <summary>TLS always, but the certificate is not verified.</summary>
        Required,

        /// <summary>TLS, and the certificate chain must lead to the CA.</summary>
        VerifyCA,

        /// <summary>TLS, the chain must lead to the CA, and the certificate must name the host (the mysql client's VERIFY_IDENTITY).</summary>
        VerifyFull,
    }
}

namespace AuroraSecurity.Sql
{
    /// <summary>What each <see cref="SqlSslMode"/> lets through, in one place.</summary>
    public static class SqlSslModes
    {
        /// <summary>Whether the mode can end in an unencrypted connection: None always, Preferred when the server (or someone in between) offers no TLS.</summary>
        public static bool MayFallBackToPlaintext(SqlSslMode mode) => mode < SqlSslMode.Required;

        /// <summary>The warning to give before a password login under a mode that may not encrypt it; null when the mode always encrypts.</summary>
        public static string? PasswordWarning(SqlSslMode mode, string endpoint, int port)
        {
            switch (mode)
            {
                case SqlSslMode.None:
                    return $"SslMode None logs in to {endpoint}:{port} without TLS: the password travels unencrypted (in clear text if the server asks for it). Use -SslMode VerifyFull -SslCa <RDS CA bundle>.";
                case SqlSslMode.Preferred:
                    return $"SslMode Preferred falls back to an unencrypted connection when {endpoint}:{port} (or anything in between) offers no TLS: the password may then travel unencrypted, in clear text if the server asks for it. Use -SslMode VerifyFull -SslCa <RDS CA bundle>.";
                default:
                    return null;
            }
        }
    }
}
