using System;
using System.Collections.Generic;
using System.Linq;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>Reads a MySqlConnector connection string (as Get-AuroraConnectionGuide writes it) into connection options; a password in it is refused.</summary>
    public static class SqlConnectionString
    {
        // The builder's own (canonical) names of the options read here, whatever alias the string used.
        private static readonly HashSet<string> Understood = CanonicalNames(b =>
        {
            b.Server = "h";
            b.Port = 3306;
            b.UserID = "u";
            b.SslMode = MySqlSslMode.VerifyFull;
            b.SslCa = "ca";
            b.Database = "d";
            b.ConnectionTimeout = 15;
            b.TlsVersion = "TLSv1.2";
            b.TlsCipherSuites = "x";
        });

        private static readonly HashSet<string> PasswordNames = CanonicalNames(b => b.Password = "p");

        /// <summary>The options the string names; the caller adds the password (from a credential) afterwards.</summary>
        public static SqlConnectionOptions Parse(string connectionString)
        {
            MySqlConnectionStringBuilder builder;
            try
            {
                builder = new MySqlConnectionStringBuilder(connectionString ?? string.Empty);
            }
            catch (ArgumentException e)
            {
                throw new AuroraSecurityException("ConnectionStringInvalid", FailureKind.InvalidArgument,
                    $"The connection string cannot be read: {e.Message} Write it as Server=<endpoint>;Port=3306;User ID=<user>;SslMode=VerifyFull;SslCa=<bundle>.", e);
            }

            if (!string.IsNullOrEmpty(builder.Password))
            {
                throw new AuroraSecurityException("ConnectionStringHasPassword", FailureKind.SecurityError,
                    "The connection string carries a password. Remove it and give the password with -SqlCredential (a PSCredential), so it is never kept as text.");
            }

            var unknown = builder.Keys.Cast<string>().Where(k => !Understood.Contains(k) && !PasswordNames.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new AuroraSecurityException("ConnectionStringOptionUnsupported", FailureKind.InvalidArgument,
                    $"Connect-AuroraMySql does not take {string.Join(", ", unknown)} from a connection string; it reads {string.Join(", ", Understood)}. Use its parameters for the rest.");
            }

            if (string.IsNullOrWhiteSpace(builder.Server))
            {
                throw new AuroraSecurityException("ConnectionStringServerMissing", FailureKind.InvalidArgument, "The connection string names no Server: add Server=<cluster endpoint>.");
            }

            return new SqlConnectionOptions
            {
                Endpoint = builder.Server,
                Port = (int)builder.Port,
                User = builder.UserID ?? string.Empty,
                SslMode = HasKey(builder, b => b.SslMode = MySqlSslMode.VerifyFull) ? Map(builder.SslMode) : SqlSslMode.VerifyFull,
                SslCa = string.IsNullOrEmpty(builder.SslCa) ? null : builder.SslCa,
                Database = string.IsNullOrEmpty(builder.Database) ? null : builder.Database,
                ConnectTimeoutSeconds = HasKey(builder, b => b.ConnectionTimeout = 15) ? (int)builder.ConnectionTimeout : 15,
                TlsVersions = Split(builder.TlsVersion),
                TlsCipherSuites = Split(builder.TlsCipherSuites),
            };
        }

        private static HashSet<string> CanonicalNames(Action<MySqlConnectionStringBuilder> set)
        {
            var sample = new MySqlConnectionStringBuilder();
            set(sample);
            return new HashSet<string>(sample.Keys.Cast<string>(), StringComparer.OrdinalIgnoreCase);
        }

        // Whether the string set the option (MySqlConnector's defaults differ from ours: SslMode Preferred, timeout 15).
        private static bool HasKey(MySqlConnectionStringBuilder builder, Action<MySqlConnectionStringBuilder> set) =>
            CanonicalNames(set).Any(builder.ContainsKey);

        private static IReadOnlyList<string> Split(string? list) =>
            string.IsNullOrWhiteSpace(list) ? Array.Empty<string>() : list!.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        private static SqlSslMode Map(MySqlSslMode mode)
        {
            switch (mode)
            {
                case MySqlSslMode.None: return SqlSslMode.None;
                case MySqlSslMode.Preferred: return SqlSslMode.Preferred;
                case MySqlSslMode.Required: return SqlSslMode.Required;
                case MySqlSslMode.VerifyCA: return SqlSslMode.VerifyCA;
                default: return SqlSslMode.VerifyFull;
            }
        }
    }
}
