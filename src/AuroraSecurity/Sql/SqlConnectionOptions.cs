using System;
using System.Collections.Generic;
using System.Security;

namespace AuroraSecurity.Sql
{
    /// <summary>Everything needed to open a SQL connection to an Aurora MySQL endpoint.</summary>
    public sealed class SqlConnectionOptions
    {
        /// <summary>The cluster, instance or proxy endpoint (a host name or address).</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The port; Aurora MySQL listens on 3306 unless the cluster says otherwise.</summary>
        public int Port { get; set; } = 3306;

        /// <summary>The database user.</summary>
        public string User { get; set; } = string.Empty;

        /// <summary>The password, kept encrypted in memory until the driver needs it.</summary>
        public SecureString? Password { get; set; }

        /// <summary>Makes the password for each new physical connection (an IAM auth token); wins over <see cref="Password"/>.</summary>
        public Func<string>? PasswordProvider { get; set; }

        /// <summary>How strictly TLS is enforced.</summary>
        public SqlSslMode SslMode { get; set; } = SqlSslMode.VerifyFull;

        /// <summary>The CA bundle to verify the server against (the RDS global bundle in real use).</summary>
        public string? SslCa { get; set; }

        /// <summary>The name the certificate must carry when it differs from the endpoint connected to (an address, a tunnel); the endpoint when null.</summary>
        public string? TlsServerName { get; set; }

        /// <summary>TLS protocols the client may use ("TLSv1.2"); empty means the platform's default.</summary>
        public IReadOnlyList<string> TlsVersions { get; set; } = Array.Empty<string>();

        /// <summary>Cipher suites in OpenSSL or IANA spelling; empty means the platform's default.</summary>
        public IReadOnlyList<string> TlsCipherSuites { get; set; } = Array.Empty<string>();

        /// <summary>The default database, if any.</summary>
        public string? Database { get; set; }

        /// <summary>Seconds to wait for the connection.</summary>
        public int ConnectTimeoutSeconds { get; set; } = 15;

        /// <summary>
        /// Whether closed connections may wait in the driver's pool for reuse. Off by default: a session closed with
        /// Disconnect-AuroraMySql must leave the server at once, not linger as an idle session of the user.
        /// </summary>
        public bool Pooling { get; set; }

        /// <summary>The same endpoint and TLS settings with another login (a managed master secret's, read just before the connection).</summary>
        public SqlConnectionOptions WithLogin(string user, SecureString password) => new SqlConnectionOptions
        {
            Endpoint = Endpoint,
            Port = Port,
            User = user,
            Password = password,
            SslMode = SslMode,
            SslCa = SslCa,
            TlsServerName = TlsServerName,
            TlsVersions = TlsVersions,
            TlsCipherSuites = TlsCipherSuites,
            Database = Database,
            ConnectTimeoutSeconds = ConnectTimeoutSeconds,
            Pooling = Pooling,
        };
    }
}
