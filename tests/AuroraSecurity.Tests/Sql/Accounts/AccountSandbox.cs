using System.Net;
using System.Security;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>Opens module sessions on the sandbox as its master user, and asks root what really exists.</summary>
    internal static class AccountSandbox
    {
        public static AuroraSqlSession Open(SandboxServer server) => Open(server, server.AdminUser, server.AdminPassword);

        public static AuroraSqlSession Open(SandboxServer server, string user, string password) =>
            AuroraConnectionFactory.OpenAsync(new SqlConnectionOptions
            {
                Endpoint = server.Host,
                Port = server.Port,
                User = user,
                Password = Secure(password),
                SslCa = server.CaFile,
                Pooling = false,
            }).GetAwaiter().GetResult();

        public static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

        /// <summary>True when root sees the account (names compared in hex, so nothing about them can confuse the check).</summary>
        public static bool Exists(SandboxServer server, string user, string host)
        {
            var sql = $"SELECT COUNT(*) FROM mysql.global_priv WHERE HEX(User) = '{Hex(user)}' AND HEX(Host) = '{Hex(host)}'";
            return server.RunRootSql(sql).Trim() == "1";
        }

        public static string Hex(string text) => System.Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text));

        public static string SslTypeOf(SandboxServer server, string user, string host) =>
            server.RunRootSql($"SELECT CONCAT('[', ssl_type, ']') FROM mysql.user WHERE HEX(User) = '{Hex(user)}' AND HEX(Host) = '{Hex(host)}'").Trim();
    }
}
