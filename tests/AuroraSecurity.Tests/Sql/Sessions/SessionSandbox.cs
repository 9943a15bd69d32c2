using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using MySqlConnector;

namespace AuroraSecurity.Tests.Sql.Sessions
{
    /// <summary>Victim accounts, admin sessions and the general log of the sandbox, for the session tests.</summary>
    internal sealed class SessionSandbox
    {
        private static readonly Regex LogLine = new Regex(@"^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+)\s+(\w+)\t?(.*)$", RegexOptions.CultureInvariant);
        private static int counter;

        public SessionSandbox(SandboxServer server) => Server = server;

        public SandboxServer Server { get; }

        /// <summary>A fresh account name, so tests never see each other's sessions.</summary>
        public static string UniqueUser(string prefix) =>
            $"{prefix}_{Environment.ProcessId % 10000}_{Interlocked.Increment(ref counter)}";

        public string CreateUser(string user, string host = "%")
        {
            var password = "Pw-" + Guid.NewGuid().ToString("N").Substring(0, 16);
            Server.RunRootSql($"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'; GRANT SELECT ON *.* TO '{user}'@'{host}';");
            return password;
        }

        public void DropUser(string user, string host = "%") => Server.RunRootSql($"DROP USER IF EXISTS '{user}'@'{host}'");

        public MySqlConnection OpenAs(string user, string password, string? database = null)
        {
            var builder = Server.ConnectionString(user, password);
            if (database != null) builder.Database = database;
            var connection = new MySqlConnection(builder.ConnectionString);
            connection.Open();
            return connection;
        }

        public AuroraSqlSession OpenAdminSession() =>
            AuroraConnectionFactory.OpenAsync(new SqlConnectionOptions
            {
                Endpoint = Server.Host,
                Port = Server.Port,
                User = Server.AdminUser,
                Password = Secure(Server.AdminPassword),
                SslCa = Server.CaFile,
                Pooling = false,
            }).GetAwaiter().GetResult();

        public static long IdOf(MySqlConnection connection) => connection.ServerThread;

        /// <summary>The statements each connection sent, from the general log: (connection id, command, argument).</summary>
        public IReadOnlyList<(long Id, string Command, string Argument)> GeneralLog()
        {
            var file = Server.GeneralLogFile ?? throw new InvalidOperationException("The sandbox runs without the general log; start it with --general-log.");
            var lines = new List<(long, string, string)>();
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    var match = LogLine.Match(line);
                    if (match.Success)
                    {
                        lines.Add((long.Parse(match.Groups[1].Value), match.Groups[2].Value, match.Groups[3].Value.Trim()));
                    }
                }
            }

            return lines;
        }

        public IReadOnlyList<(long Id, string Command, string Argument)> KillCalls(long victim) =>
            GeneralLog().Where(l => l.Command == "Query" && Regex.IsMatch(l.Argument, $@"^CALL mysql\.rds_kill(_query)?\({victim}\)$")).ToList();

        /// <summary>Waits (up to 20 s) until the condition holds; the tests assert afterwards, not on the time taken.</summary>
        public static void WaitUntil(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!condition() && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }

        public bool InProcessList(long id) =>
            Server.RunRootSql($"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = {id}").Trim() == "1";

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
