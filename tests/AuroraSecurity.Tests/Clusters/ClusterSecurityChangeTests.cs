using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.RdsDoubleTests;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>ClusterSecurityChanger against the RDS double: each rule that protects the user, proved by what the double received and holds.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class ClusterSecurityChangeTests
    {
        private static readonly string[] Mutating =
        {
            "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "CreateDBClusterParameterGroup", "ModifyDBCluster", "RebootDBInstance",
        };

        private static async Task<AuroraCluster> ClusterAsync(ClusterSecurityChanger changer, string id) =>
            (await changer.ClusterService.GetClustersAsync(new[] { id }, CancellationToken.None)).Single().Value!;

        private static List<RecordedRequest> MutatingRequests(DoubleClient d) => d.Server.Requests.Where(r => Mutating.Contains(r.Action)).ToList();

        private static string? GroupValue(DoubleClient d, string group, string parameter)
        {
            lock (d.Server.State.SyncRoot)
            {
                return d.Server.State.FindClusterParameterGroup(group)!.Parameters.TryGetValue(parameter, out var s) ? s.Value : null;
            }
        }

        [Fact]
        public async Task SecureTransportOnASharedGroupNamesEveryClusterSendsImmediateAndReadsBack()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, "billing"), TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);

            Assert.False(plan.IsUnchanged);
            Assert.True(plan.ReachesOtherClusters);
            Assert.Equal(new[] { "billing", "orders" }, plan.Clusters);
            Assert.Contains("orders", plan.Target);
            Assert.Contains("billing", plan.Target);
            Assert.Empty(MutatingRequests(d));

            await changer.ApplyAsync(plan, CancellationToken.None);
            var modify = Assert.Single(MutatingRequests(d));
            Assert.Equal("ModifyDBClusterParameterGroup", modify.Action);
            Assert.Equal("shared-aurora-mysql57", modify.Parameters["DBClusterParameterGroupName"]);
            Assert.Equal("require_secure_transport", modify.Parameters["Parameters.Parameter.1.ParameterName"]);
            // RDS lists the boolean's AllowedValues as 0,1: that spelling is always accepted.
            Assert.Equal("1", modify.Parameters["Parameters.Parameter.1.ParameterValue"]);
            Assert.Equal("immediate", modify.Parameters["Parameters.Parameter.1.ApplyMethod"]);
            Assert.Equal("1", GroupValue(d, "shared-aurora-mysql57", "require_secure_transport"));

            var results = await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None);
            Assert.Equal(new[] { "billing", "orders" }, results.Select(r => r.Value!.ClusterIdentifier));
            Assert.All(results, r => Assert.True(r.Value!.RequireSecureTransport));
            Assert.All(results, r => Assert.Equal(ChangeOutcome.Applied, r.Value!.Change));
            Assert.Contains("3159", results[0].Value!.ChangeNote);
            // Dynamic: nobody waits for a reboot.
            Assert.All(results, r => Assert.Empty(r.Value!.PendingRebootMembers));
        }

        [Fact]
        public async Task IdempotentWhenTheValueHoldsNothingIsSent()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var analytics = await ClusterAsync(changer, "analytics");
            var plan = await changer.PlanForClusterAsync(analytics, TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);
            Assert.True(plan.IsUnchanged);
            await changer.ApplyAsync(plan, CancellationToken.None);

            var ciphers = await changer.PlanForClusterAsync(analytics, TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384" }), false, null, CancellationToken.None);
            Assert.True(ciphers.IsUnchanged);
            // Same ciphers in another order are another server preference: that is a change.
            var reordered = await changer.PlanForClusterAsync(analytics, TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" }), false, null, CancellationToken.None);
            Assert.False(reordered.IsUnchanged);

            // OFF is the engine default on the default group: already in place, so no custom group is needed either.
            var inventory = await changer.PlanForClusterAsync(await ClusterAsync(changer, "inventory"), TlsParameterChange.RequireSecureTransport(false), false, null, CancellationToken.None);
            Assert.True(inventory.IsUnchanged);

            var results = await changer.ReadBackAsync(plan, ChangeOutcome.Unchanged, CancellationToken.None);
            Assert.Equal(ChangeOutcome.Unchanged, Assert.Single(results).Value!.Change);
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task DefaultGroupIsRefusedBeforeAnyChangeAndSaysWhy()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var inventory = await ClusterAsync(changer, "inventory");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() =>
                changer.PlanForClusterAsync(inventory, TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None));
            Assert.Equal("DefaultParameterGroup", e.ErrorId);
            Assert.Contains("never modifies default parameter groups", e.Message);
            Assert.Contains("-CreateCustomGroup", e.Message);
            Assert.Contains("default.aurora-mysql8.0", e.Message);

            var byName = await Assert.ThrowsAsync<AuroraSecurityException>(() =>
                changer.PlanForGroupAsync("default.aurora-mysql8.0", TlsParameterChange.RequireSecureTransport(true), CancellationToken.None));
            Assert.Equal("DefaultParameterGroup", byName.ErrorId);
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task CreateCustomGroupCopiesUserValuesTwentyPerCallChangesItAttachesItLast()
        {
            await using var d = await DoubleClient.StartAsync();
            // Default groups cannot hold user values on RDS; planting 25 here proves the copy pages in calls of at most 20.
            lock (d.Server.State.SyncRoot)
            {
                var group = d.Server.State.FindClusterParameterGroup("default.aurora-mysql8.0")!;
                var planted = ParameterCatalog.For("aurora-mysql8.0")!
                    .Where(p => p.IsModifiable && !p.Name.StartsWith("ssl_", StringComparison.Ordinal) && p.Name != "require_secure_transport")
                    .Select(p => (Def: p, Value: p.DefaultValue ?? (p.AllowedValues ?? string.Empty).Split(',')[0]))
                    .Where(p => p.Value.Length > 0 && p.Def.Validate(p.Value) == null)
                    .Take(25);
                foreach (var (def, value) in planted)
                {
                    group.Parameters[def.Name] = new ParameterSetting { Value = value, ApplyMethod = def.IsStatic ? "pending-reboot" : "immediate" };
                }
            }

            int userSet;
            lock (d.Server.State.SyncRoot) userSet = d.Server.State.FindClusterParameterGroup("default.aurora-mysql8.0")!.Parameters.Count;
            Assert.True(userSet > 20, $"the seed needs more than 20 user values for this test, has {userSet}");

            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var inventory = await ClusterAsync(changer, "inventory");
            var plan = await changer.PlanForClusterAsync(inventory, TlsParameterChange.RequireSecureTransport(true), true, null, CancellationToken.None);
            Assert.True(plan.CreatesParameterGroup);
            Assert.Equal("inventory-aurora-mysql80", plan.ParameterGroupName);
            Assert.Equal(userSet, plan.CarriedOver.Count);
            Assert.Contains("after their reboot", plan.Action);
            Assert.Empty(MutatingRequests(d));

            await changer.ApplyAsync(plan, CancellationToken.None);
            var sent = MutatingRequests(d);
            var expectedModifies = (userSet + 19) / 20 + 1;
            Assert.Equal(new[] { "CreateDBClusterParameterGroup" }.Concat(Enumerable.Repeat("ModifyDBClusterParameterGroup", expectedModifies)).Concat(new[] { "ModifyDBCluster" }), sent.Select(r => r.Action));
            Assert.All(sent.Where(r => r.Action == "ModifyDBClusterParameterGroup"), r => Assert.False(r.Parameters.ContainsKey("Parameters.Parameter.21.ParameterName")));
            Assert.Equal("aurora-mysql8.0", sent[0].Parameters["DBParameterGroupFamily"]);
            Assert.Equal("inventory-aurora-mysql80", sent.Last().Parameters["DBClusterParameterGroupName"]);

            lock (d.Server.State.SyncRoot)
            {
                var state = d.Server.State;
                var created = state.FindClusterParameterGroup("inventory-aurora-mysql80")!;
                Assert.Equal(userSet + 1, created.Parameters.Count);
                Assert.Equal("1", created.Parameters["require_secure_transport"].Value);
                Assert.Equal("inventory-aurora-mysql80", state.FindCluster("inventory")!.ClusterParameterGroup);
            }

            var config = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None)).Value!;
            Assert.Equal("inventory-aurora-mysql80", config.ParameterGroupName);
            Assert.False(config.IsDefaultParameterGroup);
            Assert.True(config.RequireSecureTransport);
            // A new group reaches the instances only when they reboot.
            Assert.Equal(new[] { "inventory-1", "inventory-2" }, config.PendingRebootMembers.OrderBy(m => m));
        }

        [Fact]
        public async Task CreateCustomGroupFailingPartWaySaysWhatWasAndWasNotDone()
        {
            await using var d = await DoubleClient.StartAsync();
            var failing = new FailingRds(d.Client, "ModifyDBCluster", new RdsApiException("ModifyDBCluster", "InvalidDBClusterStateFault", "DB cluster is not available.", 400, "req-1"));
            var changer = new ClusterSecurityChanger(failing, DoubleClient.Region);
            var inventory = await ClusterAsync(changer, "inventory");
            var plan = await changer.PlanForClusterAsync(inventory, TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384" }), true, "inventory-tls", CancellationToken.None);

            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => changer.ApplyAsync(plan, CancellationToken.None));
            Assert.Equal("CustomGroupSwitchIncomplete", e.ErrorId);
            Assert.Contains("Done: 1. create cluster parameter group 'inventory-tls'", e.Message);
            Assert.Contains("set ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 in 'inventory-tls'", e.Message);
            Assert.Contains("Failed: 3. attach 'inventory-tls' to cluster 'inventory'", e.Message);
            Assert.Contains("still uses 'default.aurora-mysql8.0'", e.Message);
            Assert.Contains("DB cluster is not available", e.Message);
            lock (d.Server.State.SyncRoot)
            {
                Assert.NotNull(d.Server.State.FindClusterParameterGroup("inventory-tls"));
                Assert.Equal("default.aurora-mysql8.0", d.Server.State.FindCluster("inventory")!.ClusterParameterGroup);
            }
        }

        [Fact]
        public async Task CreateCustomGroupRefusesANameThatExistsBeforeCreatingAnything()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(async () =>
                await changer.PlanForClusterAsync(await ClusterAsync(changer, "inventory"), TlsParameterChange.RequireSecureTransport(true), true, "secure-aurora-mysql80", CancellationToken.None));
            Assert.Equal("ParameterGroupExists", e.ErrorId);
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task InstanceParameterGroupNameIsRefusedWithTheReason()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() =>
                changer.PlanForGroupAsync("orders-instance-mysql57", TlsParameterChange.RequireSecureTransport(true), CancellationToken.None));
            Assert.Equal("NotAClusterParameterGroup", e.ErrorId);
            Assert.Contains("DB cluster parameter groups", e.Message);
            Assert.Contains("instance", e.Message);
            Assert.Contains(d.Server.Requests, r => r.Action == "DescribeDBClusterParameterGroups" && r.ErrorCode == "DBParameterGroupNotFound");
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task GroupByNameReachesEveryClusterThatUsesIt()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var plan = await changer.PlanForGroupAsync("shared-aurora-mysql57", TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384" }), CancellationToken.None);
            Assert.Equal(new[] { "billing", "orders" }, plan.Clusters);
            Assert.Null(plan.ClusterIdentifier);
            Assert.Contains("billing, orders", plan.Target);
            Assert.Equal("pending-reboot", plan.Modifications.Single().ApplyMethod);
        }

        [Fact]
        public async Task TlsVersionOnVersion2IsPendingRebootOnVersion3IsRefusedWithWhatVersion3Allows()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var legacy = await ClusterAsync(changer, "legacy");
            var plan = await changer.PlanForClusterAsync(legacy, TlsParameterChange.TlsVersion("TLSv1.2"), false, null, CancellationToken.None);
            await changer.ApplyAsync(plan, CancellationToken.None);
            var modify = Assert.Single(MutatingRequests(d));
            Assert.Equal("TLSv1.2", modify.Parameters["Parameters.Parameter.1.ParameterValue"]);
            Assert.Equal("pending-reboot", modify.Parameters["Parameters.Parameter.1.ApplyMethod"]);
            var config = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None)).Value!;
            Assert.Equal("TLSv1.2", config.TlsVersion);
            Assert.Equal(new[] { "TLSv1.2" }, config.TlsProtocols);
            Assert.Equal(new[] { "legacy-1", "legacy-2" }, config.PendingRebootMembers.OrderBy(m => m));

            var again = await changer.PlanForClusterAsync(await ClusterAsync(changer, "legacy"), TlsParameterChange.TlsVersion("TLSv1.2"), false, null, CancellationToken.None);
            Assert.True(again.IsUnchanged);

            d.Server.ClearRequests();
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(async () =>
                await changer.PlanForClusterAsync(await ClusterAsync(changer, "analytics"), TlsParameterChange.TlsVersion("TLSv1.2"), false, null, CancellationToken.None));
            Assert.Equal("ChangeNotSupportedByEngine", e.ErrorId);
            Assert.Contains("tls_version cannot be set", e.Message);
            Assert.Contains("TLS 1.0, 1.1 and 1.2 (not TLS 1.3)", e.Message);
            Assert.Contains("Set-AuroraCipherSuite", e.Message);
            // Refused from the engine version alone: not even the group was read.
            Assert.DoesNotContain(d.Server.Requests, r => r.Action == "DescribeDBClusterParameters");
        }

        [Theory]
        [InlineData("5.7.mysql_aurora.2.09.2", "ECDHE-RSA-AES128-SHA", false)]
        [InlineData("5.7.mysql_aurora.2.09.3", "ECDHE-RSA-AES128-SHA", true)]
        [InlineData("5.7.mysql_aurora.2.10.1", "ECDHE-RSA-AES256-GCM-SHA384", false)]
        [InlineData("5.7.mysql_aurora.2.10.2", "ECDHE-RSA-AES256-GCM-SHA384", true)]
        [InlineData("5.7.mysql_aurora.2.10.2", "DHE-RSA-AES256-SHA", true)]
        [InlineData("5.7.mysql_aurora.2.11.0", "DHE-RSA-AES128-GCM-SHA256", false)]
        [InlineData("5.7.mysql_aurora.2.11.0", "ECDHE-RSA-AES128-GCM-SHA256", true)]
        [InlineData("8.0.mysql_aurora.3.01.0", "DHE-RSA-AES128-SHA", true)]
        [InlineData("8.0.mysql_aurora.3.01.0", "ECDHE-RSA-AES128-SHA256", true)]
        public async Task CiphersFollowTheGuidesVersionBoundaries(string engineVersion, string cipher, bool accepted)
        {
            await using var d = await DoubleClient.StartAsync();
            var id = d.Server.State.AddAuroraMySqlClusters(1, 1, engineVersion, prefix: "boundary").Single();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var cluster = await ClusterAsync(changer, id);
            var change = TlsParameterChange.SslCipher(new[] { cipher });
            if (accepted)
            {
                var plan = await changer.PlanForClusterAsync(cluster, change, false, null, CancellationToken.None);
                await changer.ApplyAsync(plan, CancellationToken.None);
                Assert.Equal(cipher, GroupValue(d, "boundary-cpg-001", "ssl_cipher"));
                Assert.Equal("pending-reboot", MutatingRequests(d).Single().Parameters["Parameters.Parameter.1.ApplyMethod"]);
            }
            else
            {
                var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => changer.PlanForClusterAsync(cluster, change, false, null, CancellationToken.None));
                Assert.Equal("ChangeNotSupportedByEngine", e.ErrorId);
                Assert.Contains(cipher, e.Message);
                Assert.Contains("Ciphers it accepts", e.Message);
                Assert.Empty(MutatingRequests(d));
            }
        }

        [Fact]
        public async Task DheOnAPost211SharedGroupIsRefusedWithTheReason()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(async () =>
                await changer.PlanForClusterAsync(await ClusterAsync(changer, "orders"), TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-SHA", "DHE-RSA-AES256-SHA" }), false, null, CancellationToken.None));
            Assert.Contains("DHE-RSA ciphers are supported only below Aurora MySQL 2.11.0", e.Message);
            Assert.DoesNotContain("ECDHE-RSA-AES256-SHA (", e.Message);
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public void UnknownCipherIsRefusedWithTheValidNames()
        {
            var e = Assert.Throws<AuroraSecurityException>(() => TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384", "AES128-SHA" }));
            Assert.Contains("'AES128-SHA'", e.Message);
            Assert.Contains("ECDHE-RSA-AES128-GCM-SHA256", e.Message);
            Assert.Contains("DHE-RSA-AES256-SHA256", e.Message);
        }

        [Fact]
        public async Task RdsErrorsDuringAChangeNameTheClusterAndTheGroup()
        {
            await using var d = await DoubleClient.StartAsync(o => o.Retry = new RdsRetryPolicy(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)));
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, "legacy"), TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);

            // The group disappears between planning and applying.
            lock (d.Server.State.SyncRoot) d.Server.State.ClusterParameterGroups.RemoveAll(g => g.Name == "legacy-aurora-mysql57");
            var gone = await Assert.ThrowsAsync<AuroraSecurityException>(() => changer.ApplyAsync(plan, CancellationToken.None));
            Assert.Equal("RdsParameterGroupNotFound", gone.ErrorId);
            Assert.Contains("cluster 'legacy'", gone.Message);
            Assert.Contains("legacy-aurora-mysql57", gone.Message);

            // A plan aimed at a default group (which planning never produces) meets RDS's own refusal.
            var forged = new ClusterChangePlan
            {
                ClusterIdentifier = "inventory",
                Clusters = new[] { "inventory" },
                ParameterGroupName = "default.aurora-mysql8.0",
                Modifications = new[] { new RdsParameter("require_secure_transport", "1", "immediate") },
            };
            var state = await Assert.ThrowsAsync<AuroraSecurityException>(() => changer.ApplyAsync(forged, CancellationToken.None));
            Assert.Equal("RdsParameterGroupState", state.ErrorId);
            Assert.Contains("cluster 'inventory'", state.Message);
            Assert.Contains("default.aurora-mysql8.0", state.Message);

            var billing = await changer.PlanForClusterAsync(await ClusterAsync(changer, "billing"), TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);
            d.Server.Faults.ThrottleAboveRequestsPerSecond = 0.001;
            // The bucket starts with one token: spend it, so every later request is throttled.
            await d.Client.DescribeDBClustersAsync("billing");
            var throttled = await Assert.ThrowsAsync<AuroraSecurityException>(() => changer.ApplyAsync(billing, CancellationToken.None));
            Assert.Equal("RdsThrottled", throttled.ErrorId);
            Assert.Contains("cluster 'billing'", throttled.Message);
            Assert.Contains("shared-aurora-mysql57", throttled.Message);
            Assert.DoesNotContain("-ThrottleLimit", throttled.Message);
            Assert.Contains("-ThrottleLimit", throttled.ParameterAdvice["ThrottleLimit"]);
            d.Server.Faults.ThrottleAboveRequestsPerSecond = null;
            Assert.Null(GroupValue(d, "shared-aurora-mysql57", "require_secure_transport"));
        }

        [Fact]
        public async Task IamAuthenticationModifiesTheClusterImmediatelyOnlyWhenNeeded()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            Assert.True(changer.PlanIamAuthentication(await ClusterAsync(changer, "orders"), true).IsUnchanged);

            var plan = changer.PlanIamAuthentication(await ClusterAsync(changer, "billing"), true);
            Assert.False(plan.IsUnchanged);
            await changer.ApplyAsync(plan, CancellationToken.None);
            var modify = Assert.Single(MutatingRequests(d));
            Assert.Equal("ModifyDBCluster", modify.Action);
            Assert.Equal("true", modify.Parameters["EnableIAMDatabaseAuthentication"]);
            Assert.Equal("true", modify.Parameters["ApplyImmediately"]);
            Assert.False(modify.Parameters.ContainsKey("DBClusterParameterGroupName"));
            var config = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None)).Value!;
            Assert.True(config.IamDatabaseAuthenticationEnabled);
        }

        [Fact]
        public async Task AppliedValuesReadBackWithTheAwsCli()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var legacy = await ClusterAsync(changer, "legacy");
            await changer.ApplyAsync(await changer.PlanForClusterAsync(legacy, TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None), CancellationToken.None);
            await changer.ApplyAsync(await changer.PlanForClusterAsync(legacy, TlsParameterChange.SslCipher(new[] { "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-GCM-SHA256" }), false, null, CancellationToken.None), CancellationToken.None);

            var cli = await AwsCli.RunAsync(d.Server, new CliCredentials(d.Server) { AccessKey = DoubleClient.AccessKey, SecretKey = DoubleClient.SecretKey },
                "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "legacy-aurora-mysql57", "--source", "user");
            var values = cli.Json.GetProperty("Parameters").EnumerateArray()
                .ToDictionary(p => p.GetProperty("ParameterName").GetString()!, p => p.GetProperty("ParameterValue").GetString());
            Assert.Equal("1", values["require_secure_transport"]);
            Assert.Equal("DHE-RSA-AES256-GCM-SHA384,DHE-RSA-AES128-GCM-SHA256", values["ssl_cipher"]);
        }

        /// <summary>Passes every call to the double, except that one operation fails as RDS would answer.</summary>
        private sealed class FailingRds : IRdsApi
        {
            private readonly IRdsApi _inner;
            private readonly string _operation;
            private readonly RdsApiException _error;

            public FailingRds(IRdsApi inner, string operation, RdsApiException error)
            {
                _inner = inner;
                _operation = operation;
                _error = error;
            }

            public Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => _inner.DescribeDBClustersAsync(id, filters, ct);
            public Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => _inner.DescribeDBInstancesAsync(id, filters, ct);
            public Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? name = null, CancellationToken ct = default) => _inner.DescribeDBClusterParameterGroupsAsync(name, ct);
            public Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string name, string? source = null, CancellationToken ct = default) => _inner.DescribeDBClusterParametersAsync(name, source, ct);
            public Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string family, CancellationToken ct = default) => _inner.DescribeEngineDefaultClusterParametersAsync(family, ct);
            public Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? id = null, CancellationToken ct = default) => _inner.DescribeCertificatesAsync(id, ct);
            public Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? name = null, CancellationToken ct = default) => _inner.DescribeDBProxiesAsync(name, ct);
            public Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string name, CancellationToken ct = default) => _inner.DescribeDBProxyTargetsAsync(name, ct);
            public Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? id = null, string? type = null, CancellationToken ct = default) => _inner.DescribeDBClusterSnapshotsAsync(id, type, ct);
            public Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string id, CancellationToken ct = default) => _inner.DescribeDBClusterSnapshotAttributesAsync(id, ct);
            public Task<string> ModifyDBClusterParameterGroupAsync(string name, IReadOnlyList<RdsParameter> parameters, CancellationToken ct = default) =>
                _operation == "ModifyDBClusterParameterGroup" ? Task.FromException<string>(_error) : _inner.ModifyDBClusterParameterGroupAsync(name, parameters, ct);
            public Task<string> ResetDBClusterParameterGroupAsync(string name, bool all, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken ct = default) => _inner.ResetDBClusterParameterGroupAsync(name, all, parameters, ct);
            public Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string name, string family, string description, CancellationToken ct = default) => _inner.CreateDBClusterParameterGroupAsync(name, family, description, ct);
            public Task<RdsDbCluster> ModifyDBClusterAsync(string id, string? group = null, bool? iam = null, bool now = false, CancellationToken ct = default) =>
                _operation == "ModifyDBCluster" ? Task.FromException<RdsDbCluster>(_error) : _inner.ModifyDBClusterAsync(id, group, iam, now, ct);
            public Task<RdsDbInstance> RebootDBInstanceAsync(string id, CancellationToken ct = default) => _inner.RebootDBInstanceAsync(id, ct);
        }
    }
}
