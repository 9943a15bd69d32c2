using System;
using System.Linq;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>Every read operation of the RDS client against the RDS double: paging, parsing, error codes, signing.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class ClientAgainstDoubleTests
    {
        private readonly ITestOutputHelper _output;

        public ClientAgainstDoubleTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task DescribeDBClustersPagesAcrossMarkersAndReadsMembers()
        {
            await using var d = await DoubleClient.StartAsync(o => o.PageSize = 20);
            d.Server.State.AddAuroraMySqlClusters(45, 3);
            var clusters = await d.Client.DescribeDBClustersAsync();
            var requests = d.Server.Requests.Where(r => r.Action == "DescribeDBClusters").ToList();

            Assert.Equal(d.Server.State.Clusters.Count, clusters.Count);
            Assert.Equal(clusters.Count, clusters.Select(c => c.DBClusterIdentifier).Distinct().Count());
            Assert.Equal((clusters.Count + 19) / 20, requests.Count);
            Assert.All(requests.Skip(1), r => Assert.True(r.Parameters.ContainsKey("Marker")));
            var orders = clusters.Single(c => c.DBClusterIdentifier == "orders");
            Assert.Equal("aurora-mysql", orders.Engine);
            Assert.Equal("shared-aurora-mysql57", orders.DBClusterParameterGroup);
            Assert.Equal(new[] { "orders-1", "orders-2" }, orders.DBClusterMembers.Select(m => m.DBInstanceIdentifier).OrderBy(x => x).ToArray());
            Assert.Single(orders.DBClusterMembers, m => m.IsClusterWriter == true);
        }

        [Fact]
        public async Task DescribeDBClustersFiltersByEngineAndIdentifier()
        {
            await using var d = await DoubleClient.StartAsync();
            var mysql = await d.Client.DescribeDBClustersAsync(null, new[] { new RdsFilter("engine", "aurora-mysql", "aurora") });
            Assert.All(mysql, c => Assert.Equal("aurora-mysql", c.Engine));
            Assert.DoesNotContain(mysql, c => c.DBClusterIdentifier == "graph");
            var named = await d.Client.DescribeDBClustersAsync(null, new[] { new RdsFilter("db-cluster-id", "orders", "arn:aws:rds:us-east-1:123456789012:cluster:billing", "nope") });
            Assert.Equal(new[] { "billing", "orders" }, named.Select(c => c.DBClusterIdentifier).OrderBy(x => x).ToArray());
        }

        [Fact]
        public async Task DescribeDBClustersUnknownClusterIsDBClusterNotFoundFault()
        {
            await using var d = await DoubleClient.StartAsync();
            var e = await Assert.ThrowsAsync<RdsApiException>(() => d.Client.DescribeDBClustersAsync("no-such-cluster"));
            Assert.Equal("DBClusterNotFoundFault", e.Code);
            Assert.Equal(404, e.HttpStatus);
            Assert.Equal(1, e.Attempts);
        }

        [Fact]
        public async Task DescribeDBInstancesParameterGroupsCertificatesProxies()
        {
            await using var d = await DoubleClient.StartAsync();
            var instances = await d.Client.DescribeDBInstancesAsync(null, new[] { new RdsFilter("db-cluster-id", "orders") });
            Assert.Equal(2, instances.Count);
            Assert.All(instances, i => Assert.Equal("orders", i.DBClusterIdentifier));
            Assert.NotNull(instances[0].CACertificateIdentifier);

            var groups = await d.Client.DescribeDBClusterParameterGroupsAsync();
            Assert.Contains(groups, g => g.DBClusterParameterGroupName == "secure-aurora-mysql80" && g.DBParameterGroupFamily == "aurora-mysql8.0");
            var missing = await Assert.ThrowsAsync<RdsApiException>(() => d.Client.DescribeDBClusterParameterGroupsAsync("no-such-group"));
            Assert.Equal("DBParameterGroupNotFound", missing.Code);

            var certificates = await d.Client.DescribeCertificatesAsync();
            Assert.Contains(certificates, c => c.CertificateIdentifier == "rds-ca-rsa2048-g1");
            var proxies = await d.Client.DescribeDBProxiesAsync();
            Assert.Contains(proxies, p => p.DBProxyName == "orders-proxy");
        }

        [Fact]
        public async Task DescribeDBClusterParametersPagesAndReportsSources()
        {
            await using var d = await DoubleClient.StartAsync(o => o.PageSize = 20);
            var parameters = await d.Client.DescribeDBClusterParametersAsync("secure-aurora-mysql80");
            var pages = d.Server.Requests.Count(r => r.Action == "DescribeDBClusterParameters");
            Assert.True(pages > 1, "expected more than one page of parameters");
            Assert.Equal((parameters.Count + 19) / 20, pages);
            var rst = parameters.Single(p => p.ParameterName == "require_secure_transport");
            Assert.Equal("ON", rst.ParameterValue);
            Assert.Equal("user", rst.Source);
            var user = await d.Client.DescribeDBClusterParametersAsync("secure-aurora-mysql80", "user");
            Assert.Equal(new[] { "require_secure_transport", "server_audit_events", "server_audit_logging", "ssl_cipher" }, user.Select(p => p.ParameterName).OrderBy(x => x, StringComparer.Ordinal).ToArray());

            var missing = await Assert.ThrowsAsync<RdsApiException>(() => d.Client.DescribeDBClusterParametersAsync("no-such-group"));
            Assert.Equal("DBParameterGroupNotFound", missing.Code);
        }

        [Fact]
        public async Task DescribeEngineDefaultClusterParametersPagesWithEngineDefaultsMarker()
        {
            await using var d = await DoubleClient.StartAsync(o => o.PageSize = 20);
            var defaults = await d.Client.DescribeEngineDefaultClusterParametersAsync("aurora-mysql5.7");
            var requests = d.Server.Requests.Where(r => r.Action == "DescribeEngineDefaultClusterParameters").ToList();
            Assert.True(requests.Count > 1);
            Assert.Equal(defaults.Count, defaults.Select(p => p.ParameterName).Distinct().Count());
            var cipher = defaults.Single(p => p.ParameterName == "ssl_cipher");
            Assert.Equal("static", cipher.ApplyType);
            Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", cipher.AllowedValues);

            var bad = await Assert.ThrowsAsync<RdsApiException>(() => d.Client.DescribeEngineDefaultClusterParametersAsync("aurora-mysql9.9"));
            Assert.Equal("InvalidParameterValue", bad.Code);
        }

        [Fact]
        public async Task WrongSecretIsSignatureDoesNotMatchWithoutTheSecretInTheMessage()
        {
            await using var d = await DoubleClient.StartAsync();
            using var wrong = DoubleClient.CreateClient(d.Server, secretKey: "not-the-secret-at-all");
            var e = await Assert.ThrowsAsync<RdsApiException>(() => wrong.DescribeDBClustersAsync());
            Assert.Equal("SignatureDoesNotMatch", e.Code);
            Assert.Equal(403, e.HttpStatus);
            Assert.DoesNotContain("not-the-secret-at-all", e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(DoubleClient.SecretKey, e.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task ThrottlingIsRetriedAndPacedByTheRateLimiter()
        {
            var limiter = new RdsRateLimiter();
            var paced = await RefusalsFor60RequestsAt10PerSecond(limiter);
            Assert.NotNull(limiter.CurrentRate);
            // Without the shared rate every request backs off on its own and runs into the limit again and again.
            var unpaced = await RefusalsFor60RequestsAt10PerSecond(null);
            _output.WriteLine($"{paced} throttled answers with the shared rate, {unpaced} without");
            // 60 requests from three callers at once are six times the limit's second, so the comparison has room on a
            // slow or loaded machine: measured 58 to 94 throttled answers with the shared rate and 234 to 253 without, idle and under load.
            Assert.True(paced < unpaced, $"{paced} throttled answers with the shared rate, {unpaced} without");
        }

        private static async Task<int> RefusalsFor60RequestsAt10PerSecond(RdsRateLimiter? limiter)
        {
            await using var d = await DoubleClient.StartAsync(o =>
            {
                o.RateLimiter = limiter;
                // Enough throttled attempts that no request gives up: the count of refusals is what is compared.
                o.Retry = new RdsRetryPolicy(8, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200), maxThrottledAttempts: 1000);
            });
            d.Server.Faults.ThrottleAboveRequestsPerSecond = 10;
            // Three callers at once, as an audit's workers are: well above 10 a second even on a loaded machine, where
            // one caller alone may be too slow to be throttled at all.
            await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                for (var i = 0; i < 20; i++) await d.Client.DescribeDBClustersAsync("orders");
            }));
            Assert.Equal(60, d.Server.Requests.Count(r => r.Accepted));
            return d.Server.Requests.Count(r => r.ErrorCode == "Throttling");
        }
    }
}
