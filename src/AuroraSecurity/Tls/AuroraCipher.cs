namespace AuroraSecurity.Tls
{
    /// <summary>Which family of Aurora MySQL releases supports a cipher, as the cipher table of the Aurora MySQL User Guide's security chapter states it.</summary>
    public enum CipherAvailability
    {
        /// <summary>"3.01.0 and higher, all below 2.11.0" (the DHE-RSA ciphers).</summary>
        Dhe,

        /// <summary>"3.01.0 and higher, 2.09.3 and higher, 2.10.2 and higher" (the ECDHE-RSA ciphers).</summary>
        Ecdhe,
    }

    /// <summary>One row of the Aurora MySQL cipher table: an OpenSSL cipher name, its protocol and availability.</summary>
    public sealed class AuroraCipher
    {
        internal AuroraCipher(string name, string protocol, string ianaName, CipherAvailability availability)
        {
            Name = name;
            Protocol = protocol;
            IanaName = ianaName;
            Availability = availability;
        }

        /// <summary>The OpenSSL spelling that ssl_cipher takes ("ECDHE-RSA-AES256-GCM-SHA384").</summary>
        public string Name { get; }

        /// <summary>The lowest TLS protocol the cipher needs ("TLS 1.0" or "TLS 1.2").</summary>
        public string Protocol { get; }

        /// <summary>The IANA name that .NET and MySqlConnector use ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384").</summary>
        public string IanaName { get; }

        /// <summary>Which Aurora MySQL releases support it.</summary>
        public CipherAvailability Availability { get; }
    }
}
