using System;
using System.Threading;
using AuroraSecurity.Engine;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>An open, described SQL connection to one endpoint; every SQL cmdlet can run on it.</summary>
    public sealed class AuroraSqlSession : IDisposable
    {
        internal AuroraSqlSession(MySqlConnection connection, SqlConnectionOptions options)
        {
            Connection = connection;
            Options = options;
            Endpoint = options.Endpoint;
            Port = options.Port;
            User = options.User;
            SslMode = options.SslMode;
            CaFile = options.SslCa;
        }

        /// <summary>The endpoint connected to.</summary>
        public string Endpoint { get; }

        /// <summary>The port connected to.</summary>
        public int Port { get; }

        /// <summary>The database user.</summary>
        public string User { get; }

        /// <summary>Aurora MySQL, MySQL or MariaDB.</summary>
        public ServerKind ServerKind { get; internal set; }

        /// <summary>What VERSION() answered ("8.0.32", "10.11.19-MariaDB-0+deb12u1").</summary>
        public string ServerVersion { get; internal set; } = string.Empty;

        /// <summary>What AURORA_VERSION() answered, when the server is Aurora MySQL.</summary>
        public string? AuroraVersion { get; internal set; }

        /// <summary>The Aurora engine version when the server is Aurora MySQL.</summary>
        public AuroraEngineVersion? EngineVersion { get; internal set; }

        /// <summary>The MySQL version the server speaks ("5.6", "5.7", "8.0"), which decides SQL syntax such as REQUIRE SSL.</summary>
        public MySqlCompatibility MySqlCompatibility { get; internal set; } = MySqlCompatibility.MySql80;

        /// <summary>True when account statements must use the MySQL 5.6 forms (GRANT USAGE … REQUIRE SSL, 16-character user names).</summary>
        public bool UsesMySql56Syntax => MySqlCompatibility == MySqlCompatibility.MySql56;

        /// <summary>The negotiated TLS protocol (Ssl_version), empty when the connection is not encrypted.</summary>
        public string TlsProtocol { get; internal set; } = string.Empty;

        /// <summary>The negotiated cipher (Ssl_cipher), empty when the connection is not encrypted.</summary>
        public string TlsCipher { get; internal set; } = string.Empty;

        /// <summary>True when the connection is encrypted.</summary>
        public bool Encrypted => TlsProtocol.Length > 0;

        /// <summary>The TLS mode the connection was opened with.</summary>
        public SqlSslMode SslMode { get; }

        /// <summary>The CA file used to verify the server, if any.</summary>
        public string? CaFile { get; }

        /// <summary>The server's id for this connection (CONNECTION_ID()), which session lists exclude by default.</summary>
        public long ConnectionId { get; internal set; }

        /// <summary>Whether the connection is still open.</summary>
        public bool IsOpen => Connection.State == System.Data.ConnectionState.Open;

        internal MySqlConnection Connection { get; }

        private int openReaders;

        /// <summary>
        /// True while a result is being streamed over the connection (a pipeline still reading rows): the connection cannot take
        /// another statement then, so a change piped in from that list has to go over a second connection.
        /// </summary>
        public bool IsStreaming => Volatile.Read(ref openReaders) > 0;

        internal void BeginStreaming() => Interlocked.Increment(ref openReaders);

        internal void EndStreaming() => Interlocked.Decrement(ref openReaders);

        /// <summary>The quoting that matches this server's sql_mode; every statement built for this session uses it.</summary>
        internal SqlQuoting Quoting { get; set; } = SqlQuoting.Default;

        internal SqlConnectionOptions Options { get; }

        /// <summary>Closes the connection.</summary>
        public void Dispose() => Connection.Dispose();

        /// <inheritdoc />
        public override string ToString() => $"{User}@{Endpoint}:{Port}";
    }
}
