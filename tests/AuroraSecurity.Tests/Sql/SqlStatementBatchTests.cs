using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Sql.Sessions;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    /// <summary>Against the sandbox: several statements in one round trip, each result to its own reader, a failure named by its statement.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class SqlStatementBatchTests
    {
        private readonly SessionSandbox sandbox;

        public SqlStatementBatchTests(SandboxFixture fixture) => sandbox = new SessionSandbox(fixture.Server);

        [Fact]
        public async Task EachResultGoesToItsOwnStatementsReader()
        {
            using var session = sandbox.OpenAdminSession();
            var first = new List<long>();
            var second = new List<string>();
            var third = new List<long>();

            await new SqlStatementBatch()
                .Add("SELECT 1 UNION ALL SELECT 2", r => first.Add(r.GetInt64(0)), e => new InvalidOperationException("first"))
                .Add("SELECT 'x' FROM DUAL WHERE 1 = 0", r => second.Add(r.GetString(0)), e => new InvalidOperationException("second"))
                .Add("SELECT CONNECTION_ID();", r => third.Add(Convert.ToInt64(r.GetValue(0))), e => new InvalidOperationException("third"))
                .RunAsync(session, CancellationToken.None);

            Assert.Equal(new long[] { 1, 2 }, first);
            Assert.Empty(second);
            Assert.Equal(new[] { session.ConnectionId }, third);
        }

        [Fact]
        public async Task AFailureIsTranslatedByItsStatementAndEndsTheBatch()
        {
            using var session = sandbox.OpenAdminSession();
            var rowsAfter = 0;
            var batch = new SqlStatementBatch()
                .Add("SELECT 1", r => { }, e => new InvalidOperationException("first"))
                .Add("SELECT no_such_column FROM mysql.user", r => { }, e => new InvalidOperationException($"second: {e.Number}"))
                .Add("SELECT 3", r => rowsAfter++, e => new InvalidOperationException("third"));

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batch.RunAsync(session, CancellationToken.None));

            Assert.Equal("second: 1054", error.Message);
            Assert.Equal(0, rowsAfter);
            Assert.True(session.IsOpen);
            await new SqlStatementBatch().Add("SELECT 1", r => rowsAfter++, e => e).RunAsync(session, CancellationToken.None);
            Assert.Equal(1, rowsAfter);
        }

        [Fact]
        public async Task AStoppedCallerSendsNothing()
        {
            using var session = sandbox.OpenAdminSession();
            var rows = 0;
            using var stopped = new CancellationTokenSource();
            stopped.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new SqlStatementBatch().Add("SELECT 1", r => rows++, e => e).RunAsync(session, stopped.Token));

            Assert.Equal(0, rows);
        }
    }
}
