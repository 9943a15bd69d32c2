using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>AuroraClusterService against the RDS double: engine filtering, lookups, TLS settings, the group cache, throttling.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class ClusterServiceTests
    {
        [Fact]
        public async Task ListingSkipsNeptuneAndPostgreSql()
        {
            await using var d = await DoubleClient.StartAsync();
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var clusters = await service.ListClustersAsync(CancellationToken.None);
            Assert.Equal(new[] { "analytics", "billing", "inventory", "legacy", "orders" }, clusters.Select(c => c.ClusterIdentifier).ToArray());
            var orders = clusters.Single(c => c.ClusterIdentifier == "orders");
            Assert.Equal("orders", orders.DBClusterIdentifier);
            Assert.Equal(2, orders.AuroraMajorVersion);
            Assert.Equal("aurora-mysql5.7", orders.ParameterGroupFamily);
            Assert.Equal(DoubleClient.Region, orders.Region);
            Assert.Equal(orders.DBClusterArn, orders.Arn);
            Assert.True(orders.IamDatabaseAuthenticationEnabled);
        }

        [Fact]
        public async Task NamedClustersOneOutcomeEachInOrderWithReasons()
        {
            await using var d = await DoubleClient.StartAsync();
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var outcomes = await service.GetClustersAsync(
                new[] { "legacy", "reports-pg", "nope", "arn:aws:rds:us-east-1:123456789012:cluster:orders", "LEGACY" }, CancellationToken.None);

            Assert.Equal(new[] { "legacy", "reports-pg", "nope", "orders" }, outcomes.Select(o => o.Identifier).ToArray());
            Assert.True(outcomes[0].Succeeded);
            Assert.Equal("ClusterNotAuroraMySql", outcomes[1].Error!.ErrorId);
            Assert.Contains("aurora-postgresql", outcomes[1].Error!.Message);
            Assert.Equal("ClusterNotFound", outcomes[2].Error!.ErrorId);
            Assert.Contains("'nope'", outcomes[2].Error!.Message);
            Assert.Equal("orders", outcomes[3].Value!.ClusterIdentifier);
            // Four names, one request.
            Assert.Single(d.Server.Requests, r => r.Action == "DescribeDBClusters");
        }

        [Fact]
        public async Task TlsConfigReadsTheThreeParametersForVersion2And3()
        {
            await using var d = await DoubleClient.StartAsync();
            lock (d.Server.State.SyncRoot) d.Server.State.FindInstance("legacy-2")!.ClusterParameterGroupStatus = "pending-reboot";
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var cache = service.CreateParameterGroupCache();
            var clusters = (await service.ListClustersAsync(CancellationToken.None)).ToDictionary(c => c.ClusterIdentifier);

            var legacy = await service.GetTlsConfigAsync(clusters["legacy"], cache, CancellationToken.None);
            Assert.Equal("TLSv1,TLSv1.1,TLSv1.2", legacy.TlsVersion);
            Assert.Equal("user", legacy.TlsVersionSource);
            Assert.Equal(new[] { "TLSv1", "TLSv1.1", "TLSv1.2" }, legacy.TlsProtocols);
            Assert.Contains("DHE-RSA-AES128-SHA", legacy.SslCipher);
            Assert.Equal(4, legacy.SslCipher.Count);
            Assert.Equal("user", legacy.SslCipherSource);
            Assert.False(legacy.RequireSecureTransport);
            Assert.True(legacy.PendingReboot);
            Assert.Equal(new[] { "legacy-2" }, legacy.PendingRebootMembers);
            Assert.False(legacy.IsDefaultParameterGroup);

            var analytics = await service.GetTlsConfigAsync(clusters["analytics"], cache, CancellationToken.None);
            Assert.True(analytics.RequireSecureTransport);
            Assert.Equal("user", analytics.RequireSecureTransportSource);
            Assert.Null(analytics.TlsVersion);
            Assert.Null(analytics.TlsVersionSource);
            Assert.Equal(new[] { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384" }, analytics.SslCipher);
            Assert.False(analytics.PendingReboot);

            var inventory = await service.GetTlsConfigAsync(clusters["inventory"], cache, CancellationToken.None);
            Assert.True(inventory.IsDefaultParameterGroup);
            Assert.Equal("aurora-mysql8.0", inventory.ParameterGroupFamily);
            Assert.False(inventory.RequireSecureTransport);
            Assert.Equal(12, inventory.SslCipher.Count);
            Assert.Equal("system", inventory.SslCipherSource);
        }

        [Fact]
        public async Task GroupCacheReadsEachDistinctGroupOnce()
        {
            await using var d = await DoubleClient.StartAsync();
            d.Server.State.AddAuroraMySqlClusters(60, 4);
            d.Server.Faults.Latency = TimeSpan.FromMilliseconds(20);
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var clusters = await service.ListClustersAsync(CancellationToken.None);
            d.Server.ClearRequests();

            var cache = service.CreateParameterGroupCache(4);
            var outcomes = await Task.WhenAll(service.StartTlsConfigReads(clusters, cache, CancellationToken.None));

            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            Assert.Equal(clusters.Select(c => c.ClusterIdentifier), outcomes.Select(o => o.Identifier));
            var groups = clusters.Select(c => c.ParameterGroupName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            Assert.Equal(8, groups.Count);
            var firstPages = d.Server.Requests
                .Where(r => r.Action == "DescribeDBClusterParameters" && !r.Parameters.ContainsKey("Marker"))
                .Select(r => r.Parameters["DBClusterParameterGroupName"]).ToList();
            Assert.Equal(groups.OrderBy(g => g), firstPages.OrderBy(g => g));
            Assert.Equal(groups.Count, cache.Count);
        }

        [Fact]
        public async Task ThrottlingBeyondTheRetriesIsAnErrorPerClusterNoneLost()
        {
            await using var d = await DoubleClient.StartAsync(o => o.Retry = new RdsRetryPolicy(2, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), maxThrottledAttempts: 2));
            d.Server.State.AddAuroraMySqlClusters(12, 3);
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var clusters = await service.ListClustersAsync(CancellationToken.None);
            d.Server.Faults.ThrottleAboveRequestsPerSecond = 0.001; // leaves one token: one group read gets through at most

            var outcomes = await Task.WhenAll(service.StartTlsConfigReads(clusters, service.CreateParameterGroupCache(), CancellationToken.None));

            Assert.Equal(clusters.Count, outcomes.Length);
            var failed = outcomes.Where(o => !o.Succeeded).ToList();
            Assert.NotEmpty(failed);
            Assert.All(failed, o =>
            {
                Assert.Equal("RdsThrottled", o.Error!.ErrorId);
                Assert.Contains(o.Identifier, o.Error.Message);
                Assert.Contains("after 2 attempts", o.Error.Message);
            });
        }

        [Fact]
        public async Task EngineDefaultsAndUnknownFamily()
        {
            await using var d = await DoubleClient.StartAsync();
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var defaults = await service.GetEngineDefaultParametersAsync("aurora-mysql8.0", CancellationToken.None);
            Assert.Contains(defaults, p => p.ParameterName == "require_secure_transport" && p.Family == "aurora-mysql8.0");
            Assert.DoesNotContain(defaults, p => p.ParameterName == "tls_version");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => service.GetEngineDefaultParametersAsync("aurora-mysql9.9", CancellationToken.None));
            Assert.Equal("RdsInvalidArgument", e.ErrorId);
        }

        [Theory]
        [InlineData("orders", "orders")]
        [InlineData("arn:aws:rds:eu-west-1:123456789012:cluster:orders-2", "orders-2")]
        public void IdentifierOfAcceptsIdsAndArns(string given, string expected) =>
            Assert.Equal(expected, AuroraClusterService.IdentifierOf(given));

        [Fact]
        public void IdentifierOfRefusesAnInstanceArn() =>
            Assert.Equal("ClusterArnInvalid", Assert.Throws<AuroraSecurityException>(() => AuroraClusterService.IdentifierOf("arn:aws:rds:us-east-1:1:db:orders-1")).ErrorId);
    }
}
