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
