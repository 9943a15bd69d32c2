using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Sql.Sessions;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>Against the sandbox (general log on): what the audit reads over SQL for one cluster, and in how many statements.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class SqlEvidenceReaderTests
    {
        private readonly SessionSandbox sandbox;

        public SqlEvidenceReaderTests(SandboxFixture fixture) => sandbox = new SessionSandbox(fixture.Server);

        private SqlConnectionOptions Options()
        {
            var password = new SecureString();
            foreach (var c in sandbox.Server.AdminPassword) password.AppendChar(c);
            return new SqlConnectionOptions
            {
                Endpoint = sandbox.Server.Host,
                Port = sandbox.Server.Port,
                User = sandbox.Server.AdminUser,
                Password = password,
                SslCa = sandbox.Server.CaFile,
                Pooling = false,
            };
        }

        [Fact]
        public async Task OneProcessListReadGivesTheAuditingHostAndTheMasterUsersOtherSessions()
        {
            using var other = sandbox.OpenAdminSession();

            var evidence = await SqlEvidenceReader.ReadAsync(Options(), sandbox.Server.AdminUser, CancellationToken.None);

            Assert.Equal("127.0.0.1", evidence.AuditingHost);
            var listed = evidence.MasterUserSessions.Single(s => s.Id == other.ConnectionId);
            Assert.Equal(sandbox.Server.AdminUser, listed.User);
            var own = listed.SourceConnectionId;
            Assert.NotEqual(other.ConnectionId, own);
            Assert.DoesNotContain(evidence.MasterUserSessions, s => s.Id == own);
            Assert.All(evidence.MasterUserSessions, s => Assert.Equal(sandbox.Server.AdminUser, s.User));
            Assert.Contains(evidence.Accounts, a => a.User == sandbox.Server.AdminUser);
            Assert.NotEmpty(evidence.GlobalPrivileges);
            Assert.NotNull(evidence.Variables.RequireSecureTransport);
            Assert.NotNull(evidence.Variables.TlsVersion);

            // After the login: the driver's SET NAMES, the server description and the evidence, each one round trip.
            var sent = sandbox.GeneralLog().Where(l => l.Id == own && l.Command == "Query").Select(l => l.Argument).ToList();
            Assert.Equal(3, sent.Count);
            Assert.StartsWith("SET NAMES", sent[0]);
            Assert.StartsWith("SELECT VERSION()", sent[1]);
            Assert.EndsWith("SHOW FULL PROCESSLIST", sent[2]);
        }
    }
}
