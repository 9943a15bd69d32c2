using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>SigV4 verification and fault switches, observed through the aws CLI. Each test runs its own double.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AuthAndFaultTests
    {
        [Fact]
        public async Task WrongSecretUnknownKeyWrongRegionAreRefusedSessionTokenAccepted()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            var good = new CliCredentials(server);

            (await AwsCli.RunAsync(server, new CliCredentials(server) { SecretKey = "not-the-secret" }, "describe-db-clusters"))
                .AssertError("SignatureDoesNotMatch");
            (await AwsCli.RunAsync(server, new CliCredentials(server) { AccessKey = "AKIDUNKNOWN0000000000" }, "describe-db-clusters"))
                .AssertError("InvalidClientTokenId");
            (await AwsCli.RunAsync(server, new CliCredentials(server) { Region = "eu-west-1" }, "describe-db-clusters"))
                .AssertError("SignatureDoesNotMatch");

            Assert.Equal(new[] { 403, 403, 403 }, server.Requests.Select(r => r.StatusCode).ToArray());
            Assert.All(server.Requests, r => Assert.False(r.Accepted));

            CliResult withToken = await AwsCli.RunAsync(server, new CliCredentials(server) { SessionToken = "FwoGZXIvYXdzEXAMPLETOKEN" },
                "describe-db-clusters", "--db-cluster-identifier", "orders");
            Assert.Equal("orders", withToken.Json.Items("DBClusters").Single().Str("DBClusterIdentifier"));
            Assert.True(server.Requests.Last().Accepted);
            _ = good;
        }

        [Fact]
        public async Task ThrottlingShowsUpAsThrottlingWhilePaging()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            server.Faults.ThrottleAboveRequestsPerSecond = 0.01; // a burst of one request, then nearly nothing
            CliResult r = await AwsCli.RunAsync(server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "default.aurora-mysql5.7",
                "--page-size", "20");
            r.AssertError("Throttling");
            Assert.Contains("Rate exceeded", r.StdErr, StringComparison.Ordinal);
            Assert.Equal(new[] { 200, 400 }, server.Requests.Select(x => x.StatusCode).ToArray());
            Assert.Equal("Throttling", server.Requests[1].ErrorCode);

            server.Faults.ThrottleAboveRequestsPerSecond = null;
            Assert.Equal(0, (await AwsCli.RunAsync(server, "describe-db-clusters")).ExitCode);
        }

        [Fact]
        public async Task ServerErrorsAndDroppedConnectionsAreObservable()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            server.Faults.ServerErrorRate = 1.0;
            CliResult failed = await AwsCli.RunAsync(server, "describe-db-clusters");
            failed.AssertError("InternalFailure");
            Assert.Equal(500, server.Requests.Single().StatusCode);

            server.Faults.ServerErrorRate = 0;
            server.Faults.DropConnectionRate = 1.0;
            server.ClearRequests();
            CliResult dropped = await AwsCli.RunAsync(server, "describe-db-clusters");
            Assert.NotEqual(0, dropped.ExitCode);
            Assert.DoesNotContain("An error occurred (", dropped.StdErr, StringComparison.Ordinal);
            Assert.Contains("endpoint", dropped.StdErr, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("ConnectionDropped", server.Requests.Single().ErrorCode);

            server.Faults.Reset();
            Assert.Equal(0, (await AwsCli.RunAsync(server, "describe-db-clusters")).ExitCode);
        }

        [Fact]
        public async Task LatencyDelaysEveryRequest()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            server.Faults.Latency = TimeSpan.FromMilliseconds(400);
            using var http = new System.Net.Http.HttpClient();
            var sw = Stopwatch.StartNew();
            using var response = await http.PostAsync(server.Endpoint, new System.Net.Http.StringContent("Action=DescribeDBClusters&Version=2014-10-31"));
            sw.Stop();
            Assert.True(sw.ElapsedMilliseconds >= 380, $"took {sw.ElapsedMilliseconds} ms");
            Assert.Equal(403, (int)response.StatusCode);
        }
    }
}
