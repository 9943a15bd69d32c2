using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class ClientBehaviourTests
    {
        private static string Clusters(params string[] ids) =>
            "<DBClusters>" + string.Concat(ids.Select(id => "<DBCluster><DBClusterIdentifier>" + id + "</DBClusterIdentifier></DBCluster>")) + "</DBClusters>";

        [Fact]
        public async Task DescribeFollowsMarkersUntilTheLastPage()
        {
            var handler = new FakeRdsHandler((r, n) =>
            {
                var marker = r.Form.TryGetValue("Marker", out var m) ? m : null;
                switch (marker)
                {
                    case null: return FakeRdsHandler.Ok("DescribeDBClusters", Clusters("a", "b") + "<Marker>page+2/=</Marker>");
                    case "page+2/=": return FakeRdsHandler.Ok("DescribeDBClusters", "<Marker>page3</Marker>" + Clusters("c"));
                    default: return FakeRdsHandler.Ok("DescribeDBClusters", Clusters("d") + "<Marker></Marker>");
                }
            });
            using var client = FakeRdsHandler.Client(handler, configure: o => o.PageSize = 20);
            var clusters = await client.DescribeDBClustersAsync(null, new[] { new RdsFilter("engine", "aurora-mysql") });
            Assert.Equal(new[] { "a", "b", "c", "d" }, clusters.Select(c => c.DBClusterIdentifier));
            Assert.Equal(3, handler.Requests.Count);
            Assert.All(handler.Requests, r => Assert.Equal("20", r.Form["MaxRecords"]));
            Assert.All(handler.Requests, r => Assert.Equal("aurora-mysql", r.Form["Filters.Filter.1.Values.Value.1"]));
            Assert.Equal(new[] { null, "page+2/=", "page3" }, handler.Requests.Select(r => r.Form.TryGetValue("Marker", out var m) ? m : null));
        }

        [Fact]
        public async Task EngineDefaultsPageWithEngineDefaultsMarker()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeEngineDefaultClusterParameters",
                "<EngineDefaults><DBParameterGroupFamily>aurora-mysql8.0</DBParameterGroupFamily>" +
                (n == 0 ? "<Marker>m1</Marker>" : string.Empty) +
                "<Parameters><Parameter><ParameterName>p" + n + "</ParameterName></Parameter></Parameters></EngineDefaults>"));
            using var client = FakeRdsHandler.Client(handler);
            var parameters = await client.DescribeEngineDefaultClusterParametersAsync("aurora-mysql8.0");
            Assert.Equal(new[] { "p0", "p1" }, parameters.Select(p => p.ParameterName));
            Assert.Equal("m1", handler.Requests[1].Form["Marker"]);
            Assert.Equal("100", handler.Requests[0].Form["MaxRecords"]);
        }

        [Fact]
        public async Task ARepeatedMarkerStopsInsteadOfLooping()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeDBClusters", Clusters("x") + "<Marker>same</Marker>"));
            using var client = FakeRdsHandler.Client(handler);
            await Assert.ThrowsAsync<InvalidOperationException>(() => client.DescribeDBClustersAsync());
            Assert.Equal(2, handler.Requests.Count);
        }

        [Fact]
        public void PageSizeOutside20To100IsRefused()
        {
            var options = new RdsClientOptions("eu-west-1", new StaticCredentialSource(FakeRdsHandler.Keys()));
            Assert.Throws<ArgumentOutOfRangeException>(() => options.PageSize = 19);
            Assert.Throws<ArgumentOutOfRangeException>(() => options.PageSize = 101);
        }

        [Theory]
        [InlineData("Throttling", HttpStatusCode.BadRequest)]
        [InlineData("ThrottlingException", HttpStatusCode.BadRequest)]
        [InlineData("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable)]
        [InlineData("TooManyRequests", (HttpStatusCode)429)]
        [InlineData("InternalFailure", HttpStatusCode.InternalServerError)]
        [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
        public async Task RetryableErrorsAreRetriedThenSucceed(string code, HttpStatusCode status)
        {
            var handler = new FakeRdsHandler((r, n) => n < 2
                ? FakeRdsHandler.Error(status, code, "slow down", "Receiver")
                : FakeRdsHandler.Ok("DescribeDBClusters", Clusters("a")));
            using var client = FakeRdsHandler.Client(handler);
            var clusters = await client.DescribeDBClustersAsync();
            Assert.Single(clusters);
            Assert.Equal(3, handler.Requests.Count);
            // Each attempt is signed afresh with identical content.
            Assert.Single(handler.Requests.Select(r => r.Body).Distinct());
        }

        [Fact]
        public async Task ExhaustedThrottlingSurfacesTheCodeAfterMaxAttempts()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"));
            // Throttling has its own, larger budget of attempts (a paced client waits for its slot rather than giving up).
            using var client = FakeRdsHandler.Client(handler, retry: new RdsRetryPolicy(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), maxThrottledAttempts: 6));
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeDBInstancesAsync());
            Assert.Equal("Throttling", e.Code);
            Assert.True(e.IsThrottling);
            Assert.Equal(6, e.Attempts);
            Assert.Equal(6, handler.Requests.Count);
            Assert.Equal(10, new RdsRetryPolicy(4).MaxThrottledAttempts);
        }

        [Theory]
        [InlineData(HttpStatusCode.BadRequest, "InvalidParameterValue")]
        [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
        [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")]
        [InlineData(HttpStatusCode.NotFound, "DBClusterNotFoundFault")]
        public async Task ClientErrorsAreNotRetried(HttpStatusCode status, string code)
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(status, code, "no"));
            using var client = FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.ModifyDBClusterAsync("orders", "pg"));
            Assert.Equal(code, e.Code);
            Assert.Equal(1, e.Attempts);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task DroppedConnectionsAndTimeoutsAreRetried()
        {
            var handler = new FakeRdsHandler(async (r, n, ct) =>
            {
                switch (n)
                {
                    case 0: throw new HttpRequestException("connection reset", new IOException("reset by peer"));
                    case 1: throw new IOException("unexpected end of stream");
                    case 2: await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException("unreachable");
                    default: return FakeRdsHandler.Ok("DescribeDBProxies", "<DBProxies/>");
                }
            });
            using var client = FakeRdsHandler.Client(handler, configure: o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
            Assert.Empty(await client.DescribeDBProxiesAsync());
            Assert.Equal(4, handler.Requests.Count);
        }

        [Fact]
        public async Task ExhaustedNetworkFailuresReportNetworkError()
        {
            var handler = new FakeRdsHandler((r, n) => throw new HttpRequestException("Name or service not known"));
            using var client = FakeRdsHandler.Client(handler, retry: new RdsRetryPolicy(3, TimeSpan.Zero, TimeSpan.Zero));
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeCertificatesAsync());
            Assert.Equal(RdsApiException.NetworkErrorCode, e.Code);
            Assert.Equal(3, e.Attempts);
            Assert.Contains("Name or service not known", e.Message);
        }

        [Fact]
        public async Task CancellationStopsAnInFlightRequestWithinASecond()
        {
            var handler = new FakeRdsHandler(async (r, n, ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return FakeRdsHandler.Ok("DescribeDBClusters", Clusters());
            });
            using var client = FakeRdsHandler.Client(handler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DescribeDBClustersAsync(cancellationToken: cts.Token));
            Assert.InRange(watch.ElapsedMilliseconds, 0, 1200);
        }

        [Fact]
        public async Task CancellationStopsABackoffDelayWithinASecond()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"));
            // Full jitter can draw short delays; with many attempts a long one is certain to come.
            using var client = FakeRdsHandler.Client(handler, retry: new RdsRetryPolicy(1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DescribeDBClustersAsync(cancellationToken: cts.Token));
            Assert.InRange(watch.ElapsedMilliseconds, 0, 1300);
        }

        [Fact]
        public void BackoffIsCappedAndJittered()
        {
            var policy = new RdsRetryPolicy(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
            var first = Enumerable.Range(0, 200).Select(_ => policy.GetDelay(1)).ToList();
            Assert.All(first, d => Assert.InRange(d.TotalMilliseconds, 0, 100));
            Assert.True(first.Distinct().Count() > 10);
            Assert.All(Enumerable.Range(0, 200).Select(_ => policy.GetDelay(30)), d => Assert.InRange(d.TotalMilliseconds, 0, 5000));
            Assert.Contains(Enumerable.Range(0, 200).Select(_ => policy.GetDelay(4)), d => d.TotalMilliseconds > 400);
        }

        [Fact]
        public async Task MoreThan20ParametersAreRefusedBeforeSending()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("ModifyDBClusterParameterGroup", string.Empty));
            using var client = FakeRdsHandler.Client(handler);
            var parameters = Enumerable.Range(1, 21).Select(i => new RdsParameter("p" + i, "1", RdsParameter.ApplyImmediate)).ToList();
            var e = await Assert.ThrowsAsync<ArgumentException>(() => client.ModifyDBClusterParameterGroupAsync("pg", parameters));
            Assert.Contains("at most 20", e.Message);
            Assert.Empty(handler.Requests);
            await client.ModifyDBClusterParameterGroupAsync("pg", parameters.Take(20).ToList());
            Assert.Equal("p20", handler.Requests.Single().Form["Parameters.Parameter.20.ParameterName"]);
        }

        [Fact]
        public async Task InvalidWriteArgumentsAreRefusedBeforeSending()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("X", string.Empty));
            using var client = FakeRdsHandler.Client(handler);
            await Assert.ThrowsAsync<ArgumentException>(() => client.ModifyDBClusterParameterGroupAsync("pg", new[] { new RdsParameter("x", "1", "later") }));
            await Assert.ThrowsAsync<ArgumentException>(() => client.ResetDBClusterParameterGroupAsync("pg", true, new[] { new RdsParameter("x", null) }));
            await Assert.ThrowsAsync<ArgumentException>(() => client.ResetDBClusterParameterGroupAsync("pg", false));
            await Assert.ThrowsAsync<ArgumentException>(() => client.ModifyDBClusterAsync("orders"));
            await Assert.ThrowsAsync<ArgumentException>(() => client.DescribeDBClusterParametersAsync(" "));
            Assert.Empty(handler.Requests);
        }

        [Theory]
        [InlineData("eu-west-1", "https://rds.eu-west-1.amazonaws.com/")]
        [InlineData("cn-north-1", "https://rds.cn-north-1.amazonaws.com.cn/")]
        [InlineData("cn-northwest-1", "https://rds.cn-northwest-1.amazonaws.com.cn/")]
        public void RegionalEndpoints(string region, string expected) => Assert.Equal(expected, RdsEndpoint.ForRegion(region).ToString());

        [Fact]
        public void ExplicitEndpointWinsAndBadRegionsAreRefused()
        {
            Assert.Equal("http://127.0.0.1:5077/", RdsEndpoint.Resolve("eu-west-1", "http://127.0.0.1:5077/").ToString());
            Assert.Equal("https://vpce-1.rds.eu-west-1.vpce.amazonaws.com/", RdsEndpoint.Resolve("eu-west-1", "vpce-1.rds.eu-west-1.vpce.amazonaws.com").ToString());
            Assert.Throws<ArgumentException>(() => RdsEndpoint.ForRegion("eu west 1"));
            Assert.Throws<ArgumentException>(() => RdsEndpoint.Resolve("eu-west-1", "ftp://x"));
        }

        [Fact]
        public async Task RequestsGoToTheRegionalEndpointWithActionAndVersion()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeDBClusters", Clusters()));
            using var client = FakeRdsHandler.Client(handler);
            await client.DescribeDBClustersAsync();
            var sent = handler.Requests.Single();
            Assert.Equal("https://rds.eu-west-1.amazonaws.com/", sent.Uri.ToString());
            Assert.Equal("DescribeDBClusters", sent.Form["Action"]);
            Assert.Equal("2014-10-31", sent.Form["Version"]);
            Assert.StartsWith("application/x-www-form-urlencoded", sent.Headers["Content-Type"]);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/eu-west-1/rds/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", sent.Headers["Authorization"]);
        }
    }
}
