using System;
using System.Linq;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Sessions;
using AuroraSecurity.Tests.Infrastructure;
using MySqlConnector;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Sessions
{
    /// <summary>Against the sandbox (MariaDB 10.11, not Aurora MySQL): information_schema.PROCESSLIST read and filtered.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class SessionListerTests
    {
        private readonly SessionSandbox sandbox;

        public SessionListerTests(SandboxFixture fixture) => sandbox = new SessionSandbox(fixture.Server);

        [Fact]
        public void ListsSessionsWithTheEightMySqlColumnsOnly()
        {
            var user = SessionSandbox.UniqueUser("sl_cols");
            var password = sandbox.CreateUser(user);
            try
            {
                using var victim = sandbox.OpenAs(user, password, database: "mysql");
                using var admin = sandbox.OpenAdminSession();
                var rows = SessionLister.ListAsync(admin, new SessionFilter { UserPattern = $"^{user}$" }).GetAwaiter().GetResult();

                var row = Assert.Single(rows);
                Assert.Equal(SessionSandbox.IdOf(victim), row.Id);
                Assert.Equal(user, row.User);
                Assert.Matches(@"^127\.0\.0\.1:\d+$", row.Host);
                Assert.Equal("127.0.0.1", row.ClientAddress);
                Assert.Equal("mysql", row.Database);
                Assert.Equal("Sleep", row.Command);
                Assert.True(row.TimeSeconds >= 0);
                Assert.Null(row.Info);
                Assert.Equal(admin.Endpoint, row.Endpoint);
                Assert.Equal(admin.Port, row.Port);
                Assert.Equal(admin.ConnectionId, row.SourceConnectionId);

                var sent = sandbox.GeneralLog().Where(l => l.Id == admin.ConnectionId && l.Command == "Query" && l.Argument.Contains("PROCESSLIST")).ToList();
                var statement = Assert.Single(sent).Argument;
                Assert.Equal("SELECT ID, USER, HOST, DB, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST", statement);
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }

        [Fact]
        public void NeverListsItsOwnConnection()
        {
            using var admin = sandbox.OpenAdminSession();
            using var other = sandbox.OpenAdminSession();
            Assert.True(sandbox.InProcessList(admin.ConnectionId));
            var rows = SessionLister.ListAsync(admin, new SessionFilter { IncludeReserved = true, IncludeSystemThreads = true, IncludeReplication = true }).GetAwaiter().GetResult();
            Assert.Contains(rows, r => r.Id == other.ConnectionId);
            Assert.DoesNotContain(rows, r => r.Id == admin.ConnectionId);
        }

        [Fact]
        public void SelectsAndExcludesByRegularExpressionCaseSensitively()
        {
            var idleUser = SessionSandbox.UniqueUser("sl_idle");
            var busyUser = SessionSandbox.UniqueUser("sl_busy");
            var idlePassword = sandbox.CreateUser(idleUser);
            var busyPassword = sandbox.CreateUser(busyUser);
            try
            {
                using var idle = sandbox.OpenAs(idleUser, idlePassword, database: "mysql");
                using var busy = sandbox.OpenAs(busyUser, busyPassword);
                var busyId = SessionSandbox.IdOf(busy);
                var sleeping = Task.Run(() =>
                {
                    using var command = new MySqlCommand("SELECT SLEEP(30)", busy);
                    try { command.ExecuteScalar(); } catch (MySqlException) { }
                });
                using var admin = sandbox.OpenAdminSession();
                SessionSandbox.WaitUntil(() => Ids(admin, new SessionFilter { UserPattern = $"^{busyUser}$", Command = "^Query$" }).Length == 1);
                var both = $"^({idleUser}|{busyUser})$";

                Assert.Equal(2, Ids(admin, new SessionFilter { UserPattern = both }).Length);
                Assert.Empty(Ids(admin, new SessionFilter { UserPattern = both.ToUpperInvariant() }));
                Assert.Equal(new[] { SessionSandbox.IdOf(idle) }, Ids(admin, new SessionFilter { UserPattern = both, ExcludeUserPattern = "_busy_" }));
                Assert.Equal(new[] { SessionSandbox.IdOf(idle) }, Ids(admin, new SessionFilter { UserPattern = both, Database = "^mysql$" }));
                Assert.Equal(new[] { busyId }, Ids(admin, new SessionFilter { UserPattern = both, ExcludeDatabase = "^mysql$" }));
                Assert.Equal(new[] { busyId }, Ids(admin, new SessionFilter { UserPattern = both, Info = @"SLEEP\(30\)" }));
                Assert.Empty(Ids(admin, new SessionFilter { UserPattern = both, Info = @"sleep\(30\)" }));
                Assert.Equal(new[] { SessionSandbox.IdOf(idle) }, Ids(admin, new SessionFilter { UserPattern = both, ExcludeInfo = "SLEEP" }));
                Assert.Equal(new[] { busyId }, Ids(admin, new SessionFilter { UserPattern = both, Command = "Query" }));
                Assert.Equal(new[] { SessionSandbox.IdOf(idle) }, Ids(admin, new SessionFilter { UserPattern = both, ExcludeCommand = "Query" }));
                Assert.Equal(new[] { busyId }, Ids(admin, new SessionFilter { UserPattern = both, State = "." }));
                Assert.Equal(new[] { busyId }, Ids(admin, new SessionFilter { UserPattern = both, MinimumSeconds = 0 }));
                Assert.Equal(new[] { SessionSandbox.IdOf(idle) }, Ids(admin, new SessionFilter { UserPattern = both, IdleSeconds = 0 }));
                Assert.Empty(Ids(admin, new SessionFilter { UserPattern = both, MinimumSeconds = 3600 }));
                Assert.Equal(2, Ids(admin, new SessionFilter { UserPattern = both, HostPattern = @"^127\.0\.0\.1:\d+$" }).Length);
                Assert.Empty(Ids(admin, new SessionFilter { UserPattern = both, ExcludeHostPattern = "^127\\." }));

                KillQuery(admin, busyId);
                sleeping.Wait(TimeSpan.FromSeconds(30));
            }
            finally
            {
                sandbox.DropUser(idleUser);
                sandbox.DropUser(busyUser);
            }
        }

        [Fact]
        public void ReservedAccountsAreListedOnlyWhenAskedFor()
        {
            // A second 'rdsadmin' account, reachable over TCP, stands in for the locked rdsadmin@localhost.
            var password = sandbox.CreateUser("rdsadmin", "127.0.0.1");
            try
            {
                using var reserved = sandbox.OpenAs("rdsadmin", password);
                using var admin = sandbox.OpenAdminSession();
                Assert.Empty(Ids(admin, new SessionFilter { UserPattern = "^rdsadmin$" }));
                Assert.Equal(new[] { SessionSandbox.IdOf(reserved) }, Ids(admin, new SessionFilter { UserPattern = "^rdsadmin$", IncludeReserved = true }));
            }
            finally
            {
                sandbox.DropUser("rdsadmin", "127.0.0.1");
            }
        }

        [Fact]
        public void LookupFindsLiveIdsOnly()
        {
            using var admin = sandbox.OpenAdminSession();
            using var other = sandbox.OpenAdminSession();
            var found = SessionLister.LookupAsync(admin, new[] { other.ConnectionId, 1L << 40 }).GetAwaiter().GetResult();
            var row = Assert.Single(found).Value;
            Assert.Equal(other.ConnectionId, row.Id);
            Assert.Equal(sandbox.Server.AdminUser, row.User);
        }

        private static long[] Ids(AuroraSqlSession admin, SessionFilter filter) =>
            SessionLister.ListAsync(admin, filter).GetAwaiter().GetResult().Select(r => r.Id).OrderBy(id => id).ToArray();

        private static void KillQuery(AuroraSqlSession admin, long id) =>
            RdsKill.KillAsync(admin, id, null, null, KillAction.Query).GetAwaiter().GetResult();
    }
}
