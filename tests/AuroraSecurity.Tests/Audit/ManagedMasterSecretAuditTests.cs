using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>
    /// The audit logging in with each cluster's RDS-managed master secret: the RDS double reports MasterUserSecret and answers GetSecretValue with
    /// the sandbox's (MariaDB 10.11) login, so the SQL findings are read from a real server; a cluster whose secret cannot be read is an Error for
    /// its SQL checks only.
    /// </summary>
    [Collection(SandboxCollection.Name)]
    [Trait(Needs.Key, Needs.MariaDb)]
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class ManagedMasterSecretAuditTests
    {
        private static readonly DateTime Now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
        private readonly SandboxServer server;

        public ManagedMasterSecretAuditTests(SandboxFixture fixture) => server = fixture.Server;

        private AuditOptions Options(DoubleClient d, SecretsManagerClient secrets) => new AuditOptions
        {
            Sql = c => SqlAccess.WithManagedMasterSecret(new SqlConnectionOptions { Endpoint = c.Endpoint!, Port = c.Port ?? 3306, SslCa = server.CaFile }),
            ManagedMasterSecrets = secrets,
        };

        private static async Task<IReadOnlyList<Finding>> AuditAsync(DoubleClient d, AuditOptions options, params string[] clusters)
        {
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var outcomes = await runner.RunAsync(clusters, SecurityCheckCatalog.All, options, CancellationToken.None);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            return outcomes.SelectMany(o => o.Value!).ToList();
        }

        private static bool IsSql(Finding f) => SecurityCheckCatalog.Find(f.CheckId)!.Evidence == CheckEvidence.Sql;

        [Fact]
        public async Task EachClusterLogsInWithItsOwnSecretAndTheSqlFindingsComeFromTheServer()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics");
            d.Server.State.ManageMasterUserPassword("legacy", server.AdminUser, server.AdminPassword);
            d.Server.State.ManageMasterUserPassword("analytics", server.AdminUser, server.AdminPassword);
            using var secrets = new SecretsManagerClient(d.Client.Options, d.Server.Endpoint);
            var before = AuditSandbox.Connections(server);

            var findings = await AuditAsync(d, Options(d, secrets), "legacy", "analytics");

            Assert.Equal(3, AuditSandbox.Connections(server) - before);
            Assert.DoesNotContain(findings, f => IsSql(f) && (f.Status == FindingStatus.Error || f.Status == FindingStatus.NotApplicable && f.Reason.StartsWith("needs -SqlCredential", StringComparison.Ordinal)));
            var legacy = findings.Where(f => f.ClusterIdentifier == "legacy").ToDictionary(f => f.CheckId);
            var analytics = findings.Where(f => f.ClusterIdentifier == "analytics").ToDictionary(f => f.CheckId);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.MasterUserNotShared].Status);
            Assert.Contains("auditing host 127.0.0.1", legacy[SecurityCheckCatalog.MasterUserNotShared].Reason);
            // MariaDB has root@localhost with every privilege: a finding only a login to the server can make.
            Assert.Contains("'root'@'localhost'", legacy[SecurityCheckCatalog.NoExtraAdministrator].Reason);
            Assert.Equal(FindingStatus.Fail, legacy[SecurityCheckCatalog.ServerTlsVersion].Status);
            Assert.Contains("'TLSv1.2,TLSv1.3'", legacy[SecurityCheckCatalog.ServerTlsVersion].Reason);
            Assert.Equal(FindingStatus.Fail, analytics[SecurityCheckCatalog.ServerRequireSecureTransport].Status);
            Assert.Contains("runs OFF", analytics[SecurityCheckCatalog.ServerRequireSecureTransport].Reason);

            var reads = d.Server.Requests.Where(r => r.Service == "secretsmanager").ToList();
            Assert.Equal(
                new[] { d.Server.State.MasterUserSecretArn("analytics"), d.Server.State.MasterUserSecretArn("legacy") }.OrderBy(a => a, StringComparer.Ordinal),
                reads.Select(r => r.Parameters["SecretId"]).OrderBy(a => a, StringComparer.Ordinal));
            Assert.All(reads, r => Assert.Null(r.ErrorCode));
            Assert.All(findings, f => Assert.DoesNotContain(server.AdminPassword, f.Reason + f.Recommendation));
        }

        [Fact]
        public async Task AClusterWhoseSecretCannotBeReadGetsErrorsForItsSqlChecksOnly()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics", "billing", "orders");
            d.Server.State.ManageMasterUserPassword("legacy", server.AdminUser, server.AdminPassword);
            d.Server.State.ManageMasterUserPassword("orders", server.AdminUser, server.AdminPassword);
            lock (d.Server.State.SyncRoot)
            {
                // analytics names a secret that no longer exists; billing has none; orders' secret is being rotated.
                d.Server.State.Secrets.RemoveAll(s => s.ClusterIdentifier == "analytics");
                d.Server.State.FindCluster("orders")!.MasterUserSecretStatus = "rotating";
            }

            using var secrets = new SecretsManagerClient(d.Client.Options, d.Server.Endpoint);
            var findings = await AuditAsync(d, Options(d, secrets), "legacy", "analytics", "billing", "orders");
            var withoutSql = await AuditAsync(d, new AuditOptions(), "legacy", "analytics", "billing", "orders");

            foreach (var (cluster, said) in new[]
            {
                ("analytics", "Secrets Manager has no secret " + d.Server.State.MasterUserSecretArn("analytics")),
                ("billing", "Cluster 'billing' has no MasterUserSecret"),
                ("orders", "is 'rotating', not 'active'"),
            })
            {
                var mine = findings.Where(f => f.ClusterIdentifier == cluster).ToList();
                Assert.All(mine.Where(IsSql), f => Assert.Equal(FindingStatus.Error, f.Status));
                Assert.All(mine.Where(IsSql), f => Assert.Contains(said, f.Reason));
                // The other checks are exactly what they are without SQL evidence.
                var plain = withoutSql.Where(f => f.ClusterIdentifier == cluster && !IsSql(f)).Select(f => (f.CheckId, f.Status)).ToList();
                Assert.Equal(plain, mine.Where(f => !IsSql(f)).Select(f => (f.CheckId, f.Status)).ToList());
            }

            Assert.DoesNotContain(findings, f => f.ClusterIdentifier == "legacy" && f.Status == FindingStatus.Error);
            var reads = d.Server.Requests.Where(r => r.Service == "secretsmanager").Select(r => r.Parameters["SecretId"]).OrderBy(a => a, StringComparer.Ordinal).ToList();
            // Neither billing (no secret) nor orders (rotating) was asked for.
            Assert.Equal(new[] { d.Server.State.MasterUserSecretArn("analytics"), d.Server.State.MasterUserSecretArn("legacy") }.OrderBy(a => a, StringComparer.Ordinal), reads);
        }

        [Fact]
        public async Task ASecretWithAStaleOrUnusablePasswordIsALoginErrorThatNeverShowsIt()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics");
            d.Server.State.ManageMasterUserPassword("legacy", server.AdminUser, "Stale-master-Pw-9");
            lock (d.Server.State.SyncRoot)
            {
                d.Server.State.Secrets.Single(s => s.ClusterIdentifier == "analytics").SecretString = "{\"user\":\"admin\",\"pass\":\"Other-shape-Pw-8\"}";
            }

            using var secrets = new SecretsManagerClient(d.Client.Options, d.Server.Endpoint);
            var findings = await AuditAsync(d, Options(d, secrets), "legacy", "analytics");

            var stale = findings.First(f => f.ClusterIdentifier == "legacy" && f.CheckId == SecurityCheckCatalog.AccountsRequireTls);
            Assert.Equal(FindingStatus.Error, stale.Status);
            Assert.Contains("1045", stale.Reason);
            var shape = findings.First(f => f.ClusterIdentifier == "analytics" && f.CheckId == SecurityCheckCatalog.AccountsRequireTls);
            Assert.Equal(FindingStatus.Error, shape.Status);
            Assert.Contains("does not hold a login", shape.Reason);
            Assert.Contains("its members: pass, user", shape.Reason);
            Assert.All(findings, f => Assert.DoesNotContain("Stale-master-Pw-9", f.Reason + f.Recommendation));
            Assert.All(findings, f => Assert.DoesNotContain("Other-shape-Pw-8", f.Reason + f.Recommendation));
        }
    }
}
