using AuroraSecurity.Sql.Sessions;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Sessions
{
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class SessionFilterTests
    {
        private static SessionInfo Row(string? user, string? command = "Sleep", string? host = "10.0.0.5:51234", string? db = null, long time = 0, string? state = null, string? info = null)
            => new SessionInfo(42, user, host, db, command, time, state, info);

        [Theory]
        [InlineData("10.0.0.5:51234", "10.0.0.5")]
        [InlineData("localhost", "localhost")]
        [InlineData("::ffff:10.0.0.5:51234", "::ffff:10.0.0.5")]
        [InlineData("::1", "::1")]
        [InlineData("[::1]:3306", "::1")]
        [InlineData("", "")]
        public void ClientAddressDropsOnlyThePort(string host, string expected) =>
            Assert.Equal(expected, SessionInfo.ClientAddressOf(host));

        [Fact]
        public void PatternsAreCaseSensitiveAndUnanchoredLikePtKill()
        {
            var selects = new SessionFilter { UserPattern = "app" }.Compile();
            Assert.True(selects(Row("app")));
            Assert.True(selects(Row("webapp")));
            Assert.False(selects(Row("APP")));
            Assert.False(new SessionFilter { UserPattern = "^app$" }.Compile()(Row("webapp")));
        }

        [Fact]
        public void UserAndHostWildcardsMatchTheWholeValueCaseInsensitively()
        {
            var app = new SessionFilter { UserLike = new[] { "app" } }.Compile();
            Assert.True(app(Row("app")));
            Assert.True(app(Row("APP")));
            Assert.False(app(Row("webapp")));
            Assert.False(app(Row("app2")));

            var several = new SessionFilter { UserLike = new[] { "app*", "report_[a-c]" } }.Compile();
            Assert.True(several(Row("app_ro")));
            Assert.True(several(Row("report_b")));
            Assert.False(several(Row("report_d")));
            Assert.False(several(Row("webapp")));

            Assert.True(new SessionFilter { UserLike = new[] { "a?p" } }.Compile()(Row("amp")));
            Assert.True(new SessionFilter { UserLike = new[] { "a`*" } }.Compile()(Row("a*")));
            Assert.False(new SessionFilter { UserLike = new[] { "a`*" } }.Compile()(Row("ab")));
            Assert.True(new SessionFilter { UserLike = new[] { "o.k" } }.Compile()(Row("o.k")));
            Assert.False(new SessionFilter { UserLike = new[] { "o.k" } }.Compile()(Row("oxk")));

            Assert.True(new SessionFilter { HostLike = new[] { "10.0.0.*" } }.Compile()(Row("app")));
            Assert.False(new SessionFilter { HostLike = new[] { "10.0.0.5" } }.Compile()(Row("app")));
            Assert.False(new SessionFilter { ExcludeUserLike = new[] { "APP" } }.Compile()(Row("app")));
            Assert.True(new SessionFilter { ExcludeUserLike = new[] { "app" } }.Compile()(Row("webapp")));
            Assert.False(new SessionFilter { ExcludeHostLike = new[] { "10.*" } }.Compile()(Row("app")));
        }

        [Fact]
        public void AnUnclosedBracketIsAnInvalidWildcardNamingTheParameter()
        {
            var error = Assert.Throws<AuroraSecurityException>(() => new SessionFilter { UserLike = new[] { "app[" } }.Compile());
            Assert.Equal("SessionPatternInvalid", error.ErrorId);
            Assert.Contains("-User 'app['", error.Message);
        }

        [Fact]
        public void ANullColumnNeverMatchesAndIsNeverExcluded()
        {
            Assert.False(new SessionFilter { Database = ".*" }.Compile()(Row("app", db: null)));
            Assert.True(new SessionFilter { ExcludeDatabase = ".*" }.Compile()(Row("app", db: null)));
            Assert.False(new SessionFilter { ExcludeDatabase = "^orders$" }.Compile()(Row("app", db: "orders")));
        }

        [Fact]
        public void BusyTimeAppliesToQueryByDefaultAndIdleTimeToSleep()
        {
            var busy = new SessionFilter { MinimumSeconds = 10 }.Compile();
            Assert.True(busy(Row("app", "Query", time: 10)));
            Assert.False(busy(Row("app", "Query", time: 9)));
            Assert.False(busy(Row("app", "Sleep", time: 100)));
            Assert.False(busy(Row("app", "Execute", time: 100)));
            Assert.True(new SessionFilter { MinimumSeconds = 10, BusyCommands = new[] { "Execute" } }.Compile()(Row("app", "Execute", time: 100)));

            var idle = new SessionFilter { IdleSeconds = 60 }.Compile();
            Assert.True(idle(Row("app", "Sleep", time: 60)));
            Assert.False(idle(Row("app", "Query", time: 600)));

            var either = new SessionFilter { MinimumSeconds = 10, IdleSeconds = 60 }.Compile();
            Assert.True(either(Row("app", "Query", time: 10)));
            Assert.True(either(Row("app", "Sleep", time: 60)));
            Assert.False(either(Row("app", "Sleep", time: 59)));
        }

        [Theory]
        [InlineData("system user", "Connect")]
        [InlineData("event_scheduler", "Daemon")]
        [InlineData(null, "Daemon")]
        [InlineData(null, "Sleep")]
        public void SystemThreadsAreLeftOutUnlessAskedFor(string? user, string command)
        {
            Assert.True(SessionClassification.IsSystemThread(Row(user, command)));
            Assert.False(new SessionFilter().Compile()(Row(user, command)));
            Assert.True(new SessionFilter { IncludeSystemThreads = true }.Compile()(Row(user, command)));
        }

        [Theory]
        [InlineData("Binlog Dump")]
        [InlineData("Binlog Dump GTID")]
        [InlineData("Slave_IO")]
        public void ReplicationThreadsAreLeftOutUnlessAskedFor(string command)
        {
            Assert.False(new SessionFilter().Compile()(Row("repl", command)));
            Assert.True(new SessionFilter { IncludeReplication = true }.Compile()(Row("repl", command)));
        }

        [Fact]
        public void ReservedAccountsAreLeftOutUnlessAskedFor()
        {
            Assert.False(new SessionFilter().Compile()(Row("rdsadmin")));
            Assert.True(new SessionFilter { IncludeReserved = true }.Compile()(Row("rdsadmin")));
            Assert.True(new SessionFilter().Compile()(Row("admin")));
        }

        [Fact]
        public void AnInvalidPatternIsAnInvalidArgumentNamingTheParameter()
        {
            var error = Assert.Throws<AuroraSecurityException>(() => new SessionFilter { ExcludeHostPattern = "(" }.Compile());
            Assert.Equal("SessionPatternInvalid", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("-ExcludeHostPattern", error.Message);
        }

        [Fact]
        public void MasterUserUsageGroupsByClientAddress()
        {
            var rows = new[]
            {
                Row("admin", "Sleep", "10.0.0.5:1", "orders", 5),
                Row("admin", "Query", "10.0.0.5:2", "billing", 30),
                Row("admin", "Sleep", "10.0.0.6:3", null, 7),
                Row("app", "Sleep", "10.0.0.7:4", "orders", 1),
            };
            var usage = MasterUserUsage.Summarize(rows, "admin");
            Assert.Equal(2, usage.Count);
            Assert.Equal("10.0.0.5", usage[0].Host);
            Assert.Equal(2, usage[0].SessionCount);
            Assert.Equal(new[] { "billing", "orders" }, usage[0].Databases);
            Assert.Equal(new[] { "Query", "Sleep" }, usage[0].Commands);
            Assert.Equal(30, usage[0].OldestSeconds);
            Assert.Equal("10.0.0.6", usage[1].Host);
            Assert.Empty(usage[1].Databases);
        }
    }
}
