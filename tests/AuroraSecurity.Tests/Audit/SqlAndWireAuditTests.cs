using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Sql.Sessions;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>
    /// The audit with SQL and endpoint evidence against the sandbox (MariaDB 10.11, not Aurora MySQL): the RDS double's 'legacy'
    /// (Aurora MySQL 2, tls_version TLSv1,TLSv1.1,TLSv1.2 in its group) and 'analytics' (Aurora MySQL 3, require_secure_transport ON and
    /// two ECDHE ciphers in its group) clusters point at the sandbox, which runs require_secure_transport OFF and TLSv1.2,TLSv1.3.
    /// </summary>
    [Collection(SandboxCollection.Name)]
    [Trait(Needs.Key, Needs.MariaDb)]
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class SqlAndWireAuditTests
    {
        private static readonly DateTime Now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
        private readonly SandboxServer server;
        private readonly SessionSandbox accounts;

        public SqlAndWireAuditTests(SandboxFixture fixture)
        {
            server = fixture.Server;
            accounts = new SessionSandbox(server);
        }

        [Fact]
        public async Task SqlEvidenceFindsEachKindOfAccountAndDriftFromTheGroup()
        {
            var plain = SessionSandbox.UniqueUser("au_plain");
            var secure = SessionSandbox.UniqueUser("au_tls");
            var admin = SessionSandbox.UniqueUser("au_admin");
            var anonymousHost = "192.0.2." + (Environment.ProcessId % 200 + 1);
            server.RunRootSql(
                $"CREATE USER '{plain}'@'%' IDENTIFIED BY 'Pw-plain-1';" +
                $"CREATE USER '{secure}'@'10.1.%' IDENTIFIED BY 'Pw-tls-1' REQUIRE SSL;" +
                $"CREATE USER '{admin}'@'10.2.%' IDENTIFIED BY 'Pw-admin-1' REQUIRE SSL; GRANT SUPER, CREATE USER ON *.* TO '{admin}'@'10.2.%';" +
                $"CREATE USER ''@'{anonymousHost}';");
            try
            {
                await using var d = await DoubleClient.StartAsync();
                AuditSandbox.PointAt(d.Server, server, "legacy", "analytics");
                var findings = await AuditAsync(d, new AuditOptions { Sql = AuditSandbox.Login(server) }, "legacy", "analytics");
                var legacy = findings.Where(f => f.ClusterIdentifier == "legacy").ToDictionary(f => f.CheckId);
                var analytics = findings.Where(f => f.ClusterIdentifier == "analytics").ToDictionary(f => f.CheckId);
                Assert.Equal(SecurityCheckCatalog.All.Select(c => c.Id), findings.Where(f => f.ClusterIdentifier == "legacy").Select(f => f.CheckId));

                var tls = legacy[SecurityCheckCatalog.AccountsRequireTls];
                Assert.Equal(FindingStatus.Fail, tls.Status);
                Assert.Contains($"'{plain}'@'%'", tls.Reason);
                Assert.DoesNotContain(secure, tls.Reason);
                Assert.DoesNotContain("rdsadmin", tls.Reason);
                Assert.DoesNotContain("rds_superuser_role", tls.Reason);
                Assert.Contains("Set-AuroraUserSsl", tls.Recommendation);

                var anonymous = legacy[SecurityCheckCatalog.NoAnonymousAccount];
                Assert.Equal(FindingStatus.Fail, anonymous.Status);
                Assert.Contains($"''@'{anonymousHost}'", anonymous.Reason);

                var anyHost = legacy[SecurityCheckCatalog.NoPasswordAccountFromAnyHost];
                Assert.Equal(FindingStatus.Fail, anyHost.Status);
                Assert.Contains($"'{plain}'@'%'", anyHost.Reason);
                Assert.DoesNotContain(secure, anyHost.Reason);
                Assert.DoesNotContain("'admin'@'%'", anyHost.Reason);
                Assert.Contains("master user 'admin' is not counted", anyHost.Reason);

                var admins = legacy[SecurityCheckCatalog.NoExtraAdministrator];
                Assert.Equal(FindingStatus.Fail, admins.Status);
                Assert.Contains($"'{admin}'@'10.2.%' (CREATE USER, SUPER)", admins.Reason);
                Assert.DoesNotContain("'admin'@'%'", admins.Reason);
                Assert.DoesNotContain("rdsadmin", admins.Reason);
                // MariaDB has root@localhost with every privilege, which Aurora MySQL does not: here it is a true finding.
                Assert.Contains("'root'@'localhost'", admins.Reason);

                var master = legacy[SecurityCheckCatalog.MasterUserNotShared];
                Assert.Equal(FindingStatus.Pass, master.Status);
                Assert.Contains("auditing host 127.0.0.1", master.Reason);

                // Group: require_secure_transport not set (OFF); server OFF: in step. Group: tls_version TLSv1,TLSv1.1,TLSv1.2; server TLSv1.2,TLSv1.3.
                Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.ServerRequireSecureTransport].Status);
                var version = legacy[SecurityCheckCatalog.ServerTlsVersion];
                Assert.Equal(FindingStatus.Fail, version.Status);
                Assert.Contains("'TLSv1,TLSv1.1,TLSv1.2'", version.Reason);
                Assert.Contains("'TLSv1.2,TLSv1.3'", version.Reason);
                Assert.Contains("also allows TLSv1.3", version.Reason);
                Assert.Contains("leaves out TLSv1.0, TLSv1.1", version.Reason);
                Assert.Contains("Likely cause", version.Reason);

                // Group: require_secure_transport ON; server OFF.
                var transport = analytics[SecurityCheckCatalog.ServerRequireSecureTransport];
                Assert.Equal(FindingStatus.Fail, transport.Status);
                Assert.Contains("require_secure_transport=ON", transport.Reason);
                Assert.Contains("runs OFF", transport.Reason);
                Assert.Contains("secure-aurora-mysql80", transport.Reason);
                Assert.Equal(FindingStatus.NotApplicable, analytics[SecurityCheckCatalog.ServerTlsVersion].Status);

                // The RDS checks are what they are without SQL; the wire checks were not asked for.
                Assert.Equal(FindingStatus.Fail, legacy[SecurityCheckCatalog.RequireSecureTransport].Status);
                Assert.Equal(FindingStatus.NotApplicable, legacy[SecurityCheckCatalog.WireOldProtocols].Status);
                Assert.Equal(SecurityCheckCatalog.NeedsProbeEndpoint, legacy[SecurityCheckCatalog.WireOldProtocols].Reason);
            }
            finally
            {
                server.RunRootSql($"DROP USER IF EXISTS '{plain}'@'%', '{secure}'@'10.1.%', '{admin}'@'10.2.%', ''@'{anonymousHost}';");
            }
        }

        [Fact]
        public async Task SqlEvidencePendingRebootIsNamedAsTheLikelyCauseOfDrift()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy");
            lock (d.Server.State.SyncRoot)
            {
                foreach (var instance in d.Server.State.Instances.Where(i => i.ClusterIdentifier == "legacy")) instance.ClusterParameterGroupStatus = "pending-reboot";
            }

            var version = (await AuditAsync(d, new AuditOptions { Sql = AuditSandbox.Login(server) }, "legacy")).Single(f => f.CheckId == SecurityCheckCatalog.ServerTlsVersion);
            Assert.Equal(FindingStatus.Fail, version.Status);
            Assert.Contains("Likely cause: a pending reboot: legacy-1, legacy-2", version.Reason);
        }

        [Fact]
        public async Task WithoutSqlCredentialSqlChecksAreNotApplicableAndNothingConnects()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy");
            var before = AuditSandbox.Connections(server);
            var findings = await AuditAsync(d, new AuditOptions(), "legacy");
            Assert.Equal(1, AuditSandbox.Connections(server) - before);

            var sql = findings.Where(f => SecurityCheckCatalog.Find(f.CheckId)!.Evidence == CheckEvidence.Sql).ToList();
            Assert.Equal(7, sql.Count);
            Assert.All(sql, f => Assert.Equal(FindingStatus.NotApplicable, f.Status));
            Assert.All(sql, f => Assert.StartsWith("needs -SqlCredential", f.Reason));
            Assert.All(sql, f => Assert.Equal(string.Empty, f.Recommendation));
        }

        [Fact]
        public async Task LoginFailureIsAnErrorForTheSqlChecksOnlyWithTheTranslatedReason()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics");
            var options = new AuditOptions
            {
                Sql = c => c.ClusterIdentifier == "legacy"
                    ? AuditSandbox.Login(server, password: "not-the-password")(c)
                    : AuditSandbox.Login(server, caFile: server.WrongCaFile)(c),
            };
            var findings = await AuditAsync(d, options, "legacy", "analytics");

            foreach (var cluster in new[] { "legacy", "analytics" })
            {
                var mine = findings.Where(f => f.ClusterIdentifier == cluster).ToList();
                var sql = mine.Where(f => SecurityCheckCatalog.Find(f.CheckId)!.Evidence == CheckEvidence.Sql).ToList();
                Assert.All(sql, f => Assert.Equal(FindingStatus.Error, f.Status));
                Assert.DoesNotContain(mine.Where(f => SecurityCheckCatalog.Find(f.CheckId)!.Evidence != CheckEvidence.Sql), f => f.Status == FindingStatus.Error);
            }

            // MariaDB answers a wrong password with 1045 as Aurora does; the message never carries the password.
            var denied = findings.First(f => f.ClusterIdentifier == "legacy" && f.CheckId == SecurityCheckCatalog.AccountsRequireTls);
            Assert.Contains("1045", denied.Reason);
            Assert.DoesNotContain("not-the-password", denied.Reason);
            var untrusted = findings.First(f => f.ClusterIdentifier == "analytics" && f.CheckId == SecurityCheckCatalog.AccountsRequireTls);
            Assert.Contains("certificate", untrusted.Reason, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task WireEvidenceProbesClusterAndInstanceEndpointsAndFindsDriftFromTheGroup()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics");
            var findings = await AuditAsync(d, new AuditOptions { ProbeEndpoints = true, ProbeTimeout = TimeSpan.FromSeconds(5) }, "legacy", "analytics");
            var legacy = findings.Where(f => f.ClusterIdentifier == "legacy").ToDictionary(f => f.CheckId);
            var analytics = findings.Where(f => f.ClusterIdentifier == "analytics").ToDictionary(f => f.CheckId);

            // The sandbox refuses TLS 1.0 and 1.1; a client that cannot offer them may only say so (Warning), never Pass on that ground.
            var old = legacy[SecurityCheckCatalog.WireOldProtocols];
            Assert.NotEqual(FindingStatus.Fail, old.Status);
            if (old.Status == FindingStatus.Warning) Assert.Contains("limit of the probing client", old.Reason);
            else Assert.Contains($"127.0.0.1:{server.Port}", old.Reason);

            // legacy's group allows TLSv1..TLSv1.2 only; the sandbox also accepts TLS 1.3.
            var drift = legacy[SecurityCheckCatalog.WireMatchesGroup];
            Assert.Equal(FindingStatus.Fail, drift.Status);
            Assert.Contains($"127.0.0.1:{server.Port} accepted TLSv1.3, which tls_version 'TLSv1,TLSv1.1,TLSv1.2' leaves out", drift.Reason);

            // analytics' group names two ECDHE ciphers; the sandbox accepts more of the guide's table.
            var cipherDrift = analytics[SecurityCheckCatalog.WireMatchesGroup];
            Assert.Equal(FindingStatus.Fail, cipherDrift.Status);
            Assert.Contains("which ssl_cipher leaves out", cipherDrift.Reason);
            Assert.DoesNotContain("ECDHE-RSA-AES256-GCM-SHA384, which", cipherDrift.Reason);

            Assert.Contains(analytics[SecurityCheckCatalog.WireNoDhe].Status, new[] { FindingStatus.Pass, FindingStatus.Fail });
            Assert.Equal(FindingStatus.NotApplicable, legacy[SecurityCheckCatalog.AccountsRequireTls].Status);
        }

        [Fact]
        public async Task WireEvidenceUnreachableEndpointIsAnErrorForTheWireChecksOnly()
        {
            await using var d = await DoubleClient.StartAsync();
            lock (d.Server.State.SyncRoot)
            {
                var cluster = d.Server.State.FindCluster("analytics")!;
                cluster.EndpointAddress = "127.0.0.1";
                cluster.Port = UnusedPort();
                foreach (var instance in d.Server.State.MembersOf(cluster)) instance.EndpointAddress = "127.0.0.1";
            }

            var findings = await AuditAsync(d, new AuditOptions { ProbeEndpoints = true, ProbeTimeout = TimeSpan.FromSeconds(3) }, "analytics");
            var wire = findings.Where(f => SecurityCheckCatalog.Find(f.CheckId)!.Evidence == CheckEvidence.Wire).ToList();
            Assert.Equal(3, wire.Count);
            Assert.All(wire, f => Assert.Equal(FindingStatus.Error, f.Status));
            Assert.All(wire, f => Assert.Contains("could not reach", f.Reason));
            Assert.Equal(FindingStatus.Pass, findings.Single(f => f.CheckId == SecurityCheckCatalog.StorageEncrypted).Status);
        }

        [Fact]
        public async Task StreamingEachClusterIsReportedWhenDoneInCatalogueOrder()
        {
            await using var d = await DoubleClient.StartAsync();
            AuditSandbox.PointAt(d.Server, server, "legacy", "analytics", "orders");
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var clusters = (await runner.FindClustersAsync(new[] { "legacy", "analytics", "orders" }, 2, CancellationToken.None)).Select(c => c.Value!).ToList();
            var steps = new List<AuditProgress>();
            await runner.AuditAsync(clusters, SecurityCheckCatalog.All, new AuditOptions { ThrottleLimit = 2, Sql = AuditSandbox.Login(server) }, steps.Add, CancellationToken.None);

            foreach (var id in new[] { "legacy", "analytics", "orders" })
            {
                var mine = steps.Where(s => s.ClusterIdentifier == id).Select(s => s.Phase).ToList();
                Assert.Equal(new[] { AuditPhase.RdsReads, AuditPhase.Sql, AuditPhase.Done }, mine);
                var done = steps.Single(s => s.ClusterIdentifier == id && s.Phase == AuditPhase.Done);
                Assert.Equal(SecurityCheckCatalog.All.Select(c => c.Id), done.Outcome!.Value!.Select(f => f.CheckId));
            }
        }

        [Fact]
        public async Task StopEndsWithinASecondAndNothingIsSentOrOpenedAfter()
        {
            await using var d = await DoubleClient.StartAsync();
            var ids = d.Server.State.AddAuroraMySqlClusters(40, 4, prefix: "slow");
            AuditSandbox.PointAt(d.Server, server, ids.ToArray());
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var clusters = (await runner.FindClustersAsync(ids, 4, CancellationToken.None)).Select(c => c.Value!).ToList();
            d.Server.Faults.Latency = TimeSpan.FromMilliseconds(400);

            using var stop = new CancellationTokenSource();
            var firstDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var audit = runner.AuditAsync(clusters, SecurityCheckCatalog.All, new AuditOptions { ThrottleLimit = 3, Sql = AuditSandbox.Login(server) },
                p => { if (p.Phase == AuditPhase.Done) firstDone.TrySetResult(true); }, stop.Token);
            Assert.Same(firstDone.Task, await Task.WhenAny(firstDone.Task, Task.Delay(TimeSpan.FromSeconds(60))));

            var clock = Stopwatch.StartNew();
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => audit);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The audit took {clock.Elapsed.TotalMilliseconds:F0} ms to stop.");
            Assert.False(audit.IsCompletedSuccessfully);

            var requests = d.Server.Requests.Count;
            var connections = AuditSandbox.Connections(server);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(requests, d.Server.Requests.Count);
            Assert.Equal(1, AuditSandbox.Connections(server) - connections);
            Assert.True(d.Server.Requests.Count < 40 * 3, "The audit stopped early, not after reading the whole fleet.");
        }

        private static async Task<IReadOnlyList<Finding>> AuditAsync(DoubleClient d, AuditOptions options, params string[] clusters)
        {
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var outcomes = await runner.RunAsync(clusters, SecurityCheckCatalog.All, options, CancellationToken.None);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            return outcomes.SelectMany(o => o.Value!).ToList();
        }

        private static int UnusedPort()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
