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
    /// <summary>Against the sandbox, whose mysql.rds_kill / rds_kill_query procedures behave like Aurora's.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class RdsKillTests
    {
        private readonly SessionSandbox sandbox;

        public RdsKillTests(SandboxFixture fixture) => sandbox = new SessionSandbox(fixture.Server);

        [Fact]
        public void RdsKillEndsTheVictimsConnection()
        {
            var user = SessionSandbox.UniqueUser("rk_conn");
            var password = sandbox.CreateUser(user);
            try
            {
                using var victim = sandbox.OpenAs(user, password);
                var id = SessionSandbox.IdOf(victim);
                using var admin = sandbox.OpenAdminSession();

                var result = RdsKill.KillAsync(admin, id, user, "127.0.0.1", KillAction.Connection).GetAwaiter().GetResult();

                Assert.Equal(KillOutcome.Killed, result.Result);
                Assert.Equal(KillAction.Connection, result.Action);
                Assert.Null(result.Reason);
                Assert.Single(sandbox.KillCalls(id), l => l.Id == admin.ConnectionId && l.Argument == $"CALL mysql.rds_kill({id})");
                Assert.ThrowsAny<MySqlException>(() => new MySqlCommand("SELECT 1", victim).ExecuteScalar());
                SessionSandbox.WaitUntil(() => !sandbox.InProcessList(id));
                Assert.False(sandbox.InProcessList(id));
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }

        [Fact]
        public void RdsKillQueryInterruptsOnlyTheStatement()
        {
            var user = SessionSandbox.UniqueUser("rk_query");
            var password = sandbox.CreateUser(user);
            try
            {
                using var victim = sandbox.OpenAs(user, password);
                var id = SessionSandbox.IdOf(victim);
                var statement = Task.Run(() => new MySqlCommand("SELECT SLEEP(30)", victim).ExecuteScalar());
                using var admin = sandbox.OpenAdminSession();
                SessionSandbox.WaitUntil(() => SessionLister.ListAsync(admin, new SessionFilter { UserPattern = $"^{user}$", Info = "SLEEP" }).GetAwaiter().GetResult().Count == 1);

                var result = RdsKill.KillAsync(admin, id, user, null, KillAction.Query).GetAwaiter().GetResult();

                Assert.Equal(KillOutcome.Killed, result.Result);
                Assert.Equal(KillAction.Query, result.Action);
                var error = Assert.ThrowsAny<MySqlException>(() => statement.GetAwaiter().GetResult());
                Assert.Equal(SqlErrorTranslator.QueryInterrupted, error.Number);
                Assert.Equal(1L, Convert.ToInt64(new MySqlCommand("SELECT 1", victim).ExecuteScalar()));
                Assert.True(sandbox.InProcessList(id));
                Assert.Single(sandbox.KillCalls(id), l => l.Argument == $"CALL mysql.rds_kill_query({id})");
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }

        [Fact]
        public void AnUnknownIdIsAlreadyGone()
        {
            using var admin = sandbox.OpenAdminSession();
            var id = 1L << 40;
            var result = RdsKill.KillAsync(admin, id, null, null, KillAction.Connection).GetAwaiter().GetResult();
            Assert.Equal(KillOutcome.AlreadyGone, result.Result);
            Assert.Contains("1094", result.Reason);
            Assert.Single(sandbox.KillCalls(id));
        }

        [Fact]
        public void RefusesTheOwnConnectionAndReservedAccountsWithoutSql()
        {
            using var admin = sandbox.OpenAdminSession();
            var before = sandbox.GeneralLog().Count(l => l.Id == admin.ConnectionId);

            var own = RdsKill.RefusalReason(admin, admin.ConnectionId, admin.User);
            var listedOn = RdsKill.RefusalReason(admin, 777, "app", listedOnConnectionId: 777);
            var reserved = RdsKill.RefusalReason(admin, 778, "rdsadmin");

            Assert.Contains("own connection", own);
            Assert.Contains("own connection", listedOn);
            Assert.Contains("rdsadmin", reserved);
            Assert.Contains("No SQL was sent", reserved);
            Assert.Null(RdsKill.RefusalReason(admin, 779, "app"));
            Assert.Equal(before, sandbox.GeneralLog().Count(l => l.Id == admin.ConnectionId));
        }

        [Fact]
        public async Task PlansReadEachUserOnceAndRefuseBeforeAnythingIsSent()
        {
            var user = SessionSandbox.UniqueUser("rk_plan");
            var password = sandbox.CreateUser(user);
            try
            {
                using var victim = sandbox.OpenAs(user, password);
                var id = SessionSandbox.IdOf(victim);
                using var admin = sandbox.OpenAdminSession();

                var plans = await RdsKill.PlanAsync(admin, new[] { id, admin.ConnectionId, id }, KillAction.Query);

                Assert.Equal(new[] { id, admin.ConnectionId }, plans.Select(p => p.Id).ToArray());
                var victimPlan = plans[0];
                Assert.Equal(user, victimPlan.User);
                Assert.Null(victimPlan.Refusal);
                Assert.Equal($"CALL mysql.rds_kill_query({id})", victimPlan.Statement);
                Assert.Contains($"Session {id} ({user}@", victimPlan.Target);
                Assert.Contains("rds_kill_query", victimPlan.Operation);
                Assert.Contains("own connection", plans[1].Refusal);
                Assert.Equal(KillOutcome.Refused, plans[1].NotSent(KillOutcome.Refused).Result);
                await Assert.ThrowsAsync<InvalidOperationException>(() => RdsKill.ApplyAsync(admin, plans[1]));
                Assert.DoesNotContain(sandbox.GeneralLog(), l => l.Id == admin.ConnectionId && l.Argument.Contains("rds_kill"));

                var listed = (await SessionLister.LookupAsync(admin, new[] { id }))[id];
                listed.Endpoint = "elsewhere.example";
                var elsewhere = RdsKill.Plan(admin, listed, KillAction.Connection);
                Assert.Contains("ids differ between servers", elsewhere.Refusal);

                var applied = await RdsKill.ApplyAsync(admin, victimPlan);
                Assert.Equal(KillOutcome.Killed, applied.Result);
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }

        [Fact]
        public void APipelineBatchRunsOnTheConnectionItWasListedOn()
        {
            var user = SessionSandbox.UniqueUser("rk_batch");
            var password = sandbox.CreateUser(user);
            try
            {
                var victims = Enumerable.Range(0, 3).Select(_ => sandbox.OpenAs(user, password)).ToList();
                using var admin = sandbox.OpenAdminSession();
                var listed = SessionLister.ListAsync(admin, new SessionFilter { UserPattern = $"^{user}$" }).GetAwaiter().GetResult();
                Assert.Equal(3, listed.Count);

                using (var connections = new RdsKillConnections())
                {
                    foreach (var row in listed)
                    {
                        var connection = connections.ForAsync(row).GetAwaiter().GetResult();
                        Assert.Same(admin, connection);
                        Assert.Equal(KillOutcome.Killed, RdsKill.KillAsync(connection, row.Id, row.User, row.Host, KillAction.Connection).GetAwaiter().GetResult().Result);
                    }
                }

                foreach (var row in listed)
                {
                    Assert.Single(sandbox.KillCalls(row.Id), l => l.Id == admin.ConnectionId);
                }

                Assert.True(admin.IsOpen);
                victims.ForEach(v => v.Dispose());
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }

        [Fact]
        public void AClosedListingSessionIsReopenedOnceForTheWholeBatch()
        {
            var user = SessionSandbox.UniqueUser("rk_reopen");
            var password = sandbox.CreateUser(user);
            try
            {
                var victims = Enumerable.Range(0, 3).Select(_ => sandbox.OpenAs(user, password)).ToList();
                System.Collections.Generic.IReadOnlyList<SessionInfo> listed;
                using (var lister = sandbox.OpenAdminSession())
                {
                    listed = SessionLister.ListAsync(lister, new SessionFilter { UserPattern = $"^{user}$" }).GetAwaiter().GetResult();
                }

                Assert.Equal(3, listed.Count);
                long killer;
                using (var connections = new RdsKillConnections())
                {
                    var used = listed.Select(row => connections.ForAsync(row).GetAwaiter().GetResult()).Distinct().ToList();
                    var connection = Assert.Single(used);
                    Assert.True(connections.IsReopened(connection));
                    killer = connection.ConnectionId;
                    foreach (var row in listed)
                    {
                        Assert.Equal(KillOutcome.Killed, RdsKill.KillAsync(connection, row.Id, row.User, row.Host, KillAction.Connection).GetAwaiter().GetResult().Result);
                    }
                }

                var calls = listed.SelectMany(row => sandbox.KillCalls(row.Id)).ToList();
                Assert.Equal(3, calls.Count);
                Assert.All(calls, c => Assert.Equal(killer, c.Id));
                victims.ForEach(v => v.Dispose());
            }
            finally
            {
                sandbox.DropUser(user);
            }
        }
    }
}
