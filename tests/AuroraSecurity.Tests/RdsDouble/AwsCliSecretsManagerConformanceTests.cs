using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Secrets;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>The double's Secrets Manager (GetSecretValue, AWS JSON 1.1), driven by the aws CLI as an independent client, and our client against it.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliSecretsManagerConformanceTests
    {
        private static async Task<(RdsDoubleServer Server, string Arn)> StartAsync()
        {
            var server = await DoubleFixture.StartAsync();
            var arn = server.State.MasterUserSecretArn("analytics");
            return (server, arn);
        }

        private static Task<CliResult> Cli(RdsDoubleServer server, params string[] args) => AwsCli.RunSecretsManagerAsync(server, new CliCredentials(server), args);

        [Fact]
        public async Task TheClusterSecretRdsReportsIsReadByTheCliInTheServicesShape()
        {
            var (server, arn) = await StartAsync();
            await using var _ = server;
            var described = (await AwsCli.RunAsync(server, "describe-db-clusters", "--db-cluster-identifier", "analytics")).Json.Items("DBClusters").Single();
            Assert.Equal(arn, described.GetProperty("MasterUserSecret").Str("SecretArn"));

            var json = (await Cli(server, "get-secret-value", "--secret-id", arn)).Json;
            Assert.Equal(arn, json.Str("ARN"));
            Assert.Equal(server.State.MasterUserSecretName("analytics"), json.Str("Name"));
            Assert.False(string.IsNullOrEmpty(json.Str("VersionId")));
            Assert.Equal(new[] { "AWSCURRENT" }, json.GetProperty("VersionStages").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.Equal(JsonValueKind.Number, json.GetProperty("CreatedDate").ValueKind);
            Assert.Equal(1741944413.125, json.GetProperty("CreatedDate").GetDouble(), 3);
            using var login = JsonDocument.Parse(json.Str("SecretString"));
            Assert.Equal("dbmaster", login.RootElement.Str("username"));
            Assert.Equal("Seed-analytics-master-1", login.RootElement.Str("password"));

            var byName = (await Cli(server, "get-secret-value", "--secret-id", server.State.MasterUserSecretName("analytics"))).Json;
            Assert.Equal(arn, byName.Str("ARN"));
            var logged = server.Requests.Where(r => r.Service == "secretsmanager").ToList();
            Assert.Equal(2, logged.Count);
            Assert.All(logged, r => Assert.Equal("GetSecretValue", r.Action));
            Assert.Equal(arn, logged[0].Parameters["SecretId"]);
            Assert.Equal(DoubleFixture.AccessKey, logged[0].AccessKeyId);
        }

        [Theory]
        [InlineData(null, "ResourceNotFoundException")]
        [InlineData("DecryptionFailure", "DecryptionFailure")]
        [InlineData("AccessDeniedException", "AccessDeniedException")]
        [InlineData("InvalidRequestException", "InvalidRequestException")]
        public async Task ErrorAnswersAreReadByTheCliWithTheirType(string? failure, string type)
        {
            var (server, arn) = await StartAsync();
            await using var _ = server;
            lock (server.State.SyncRoot)
            {
                if (failure == null) server.State.Secrets.Clear();
                else server.State.Secrets.Single().Failure = failure;
            }

            (await Cli(server, "get-secret-value", "--secret-id", arn)).AssertError(type);
        }

        [Fact]
        public async Task AWrongSignatureIsRefusedAsAJsonServiceRefusesIt()
        {
            var (server, arn) = await StartAsync();
            await using var _ = server;
            (await AwsCli.RunSecretsManagerAsync(server, new CliCredentials(server) { SecretKey = "not-the-key" }, "get-secret-value", "--secret-id", arn)).AssertError("InvalidSignatureException");
            (await AwsCli.RunSecretsManagerAsync(server, new CliCredentials(server) { AccessKey = "AKIDUNKNOWN" }, "get-secret-value", "--secret-id", arn)).AssertError("UnrecognizedClientException");
        }

        [Fact]
        public async Task OurClientReadsTheLoginTheCliReads()
        {
            var (server, arn) = await StartAsync();
            await using var _ = server;
            server.State.ManageMasterUserPassword("legacy", "admin", "Legacy-master-Pw-2");
            var options = new RdsClientOptions("us-east-1", new StaticCredentialSource(new AwsCredentialSet(DoubleFixture.AccessKey, DoubleFixture.SecretKey)));
            using var client = new SecretsManagerClient(options, server.Endpoint);
            using (var login = await ManagedMasterSecret.ReadAsync(client, "analytics", arn, "active"))
            {
                Assert.Equal("dbmaster", login.UserName);
                Assert.Equal("Seed-analytics-master-1", Reveal(login.Password));
            }

            var legacyArn = server.State.MasterUserSecretArn("legacy");
            using (var login = await ManagedMasterSecret.ReadAsync(client, "legacy", legacyArn, "active"))
            {
                Assert.Equal("admin", login.UserName);
                Assert.Equal("Legacy-master-Pw-2", Reveal(login.Password));
            }

            lock (server.State.SyncRoot) server.State.Secrets.RemoveAll(s => s.ClusterIdentifier == "legacy");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "legacy", legacyArn, "active"));
            Assert.Equal("SecretNotFound", e.ErrorId);
            Assert.All(server.Requests.Where(r => r.Service == "secretsmanager").Take(2), r => Assert.Null(r.ErrorCode));
        }

        [Fact]
        public async Task OurClientRetriesTheDoublesThrottling()
        {
            var (server, arn) = await StartAsync();
            await using var _ = server;
            server.Faults.ThrottleFraction = 0.5;
            server.Faults.RandomSeed = 7;
            var options = new RdsClientOptions("us-east-1", new StaticCredentialSource(new AwsCredentialSet(DoubleFixture.AccessKey, DoubleFixture.SecretKey)))
            {
                Retry = new RdsRetryPolicy(10, TimeSpan.Zero, TimeSpan.FromMilliseconds(5)),
            };
            using var client = new SecretsManagerClient(options, server.Endpoint);
            for (var i = 0; i < 4; i++)
            {
                using var login = await ManagedMasterSecret.ReadAsync(client, "analytics", arn, "active");
                Assert.Equal("dbmaster", login.UserName);
            }

            Assert.Contains(server.Requests, r => r.Service == "secretsmanager" && r.ErrorCode == "ThrottlingException");
        }

        private static string Reveal(System.Security.SecureString secret)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Marshal.PtrToStringUni(pointer)!;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
