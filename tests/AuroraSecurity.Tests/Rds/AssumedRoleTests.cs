using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using RdsDouble;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>Role assumption against the double's STS: the keys RDS sees, renewal before expiry, refusals, and endpoint overrides.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class AssumedRoleTests
    {
        private const string AccessKey = "AKIDSOURCE0000000001";
        private const string SecretKey = "source/secret+key";
        private const string Role = "arn:aws:iam::111111111111:role/Auditor";

        private static async Task<RdsDoubleServer> StartAsync() =>
            await RdsDoubleServer.StartAsync(new RdsDoubleOptions { AccessKey = AccessKey, SecretKey = SecretKey, Region = "us-east-1", ExtraRegions = { "eu-west-1" } });

        private static IAwsCredentialSource Source => new StaticCredentialSource(new AwsCredentialSet(AccessKey, SecretKey));

        [Fact]
        public async Task TheRdsDoubleSeesTheAssumedRolesKeysNotTheSourceKeys()
        {
            await using var server = await StartAsync();
            using var role = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role) { RoleSessionName = "xunit-session", DurationSeconds = 900 }, server.Endpoint, "us-east-1");
            using var client = new RdsQueryClient(new RdsClientOptions("us-east-1", role) { EndpointUrl = server.Endpoint });
            var clusters = await new AuroraClusterService(client, "us-east-1").ListClustersAsync(CancellationToken.None);

            Assert.NotEmpty(clusters);
            Assert.All(clusters, c => Assert.Equal("111111111111", c.AccountId));
            var assume = Assert.Single(server.Requests, r => r.Action == "AssumeRole");
            Assert.True(assume.Accepted);
            Assert.Equal(AccessKey, assume.AccessKeyId);
            Assert.Equal("sts", assume.Service);
            Assert.Equal("xunit-session", assume.Parameters["RoleSessionName"]);
            Assert.Equal("900", assume.Parameters["DurationSeconds"]);
            var rds = server.Requests.Where(r => r.Service == "rds").ToList();
            Assert.NotEmpty(rds);
            Assert.All(rds, r =>
            {
                Assert.True(r.Accepted);
                Assert.StartsWith("ASIADOUBLE", r.AccessKeyId, StringComparison.Ordinal);
                Assert.Equal("111111111111", r.AccountId);
            });
        }

        [Fact]
        public async Task CredentialsAreRenewedBeforeTheyExpireAndNotBefore()
        {
            await using var server = await StartAsync();
            var now = DateTime.UtcNow;
            using var role = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role), server.Endpoint, "us-east-1", () => now);
            var first = await role.GetCredentialsAsync(CancellationToken.None);
            now = now.AddMinutes(30);
            var same = await role.GetCredentialsAsync(CancellationToken.None);
            Assert.Equal(first.AccessKey, same.AccessKey);
            Assert.Equal(1, role.AssumeCount);

            // Within five minutes of the hour STS granted: renewed before any request can be signed with expiring keys.
            now = now.AddMinutes(26);
            var renewed = await role.GetCredentialsAsync(CancellationToken.None);
            Assert.NotEqual(first.AccessKey, renewed.AccessKey);
            Assert.Equal(2, role.AssumeCount);
            Assert.Equal(2, server.Requests.Count(r => r.Action == "AssumeRole" && r.Accepted));
        }

        [Fact]
        public async Task ExpiredAssumedKeysAreRefusedAndALongRunRenewsThem()
        {
            await using var server = await StartAsync();
            server.Sts.LifetimeOverride = TimeSpan.FromSeconds(2);
            using var role = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role), server.Endpoint, "us-east-1");
            using var client = new RdsQueryClient(new RdsClientOptions("us-east-1", role) { EndpointUrl = server.Endpoint });
            var service = new AuroraClusterService(client, "us-east-1");
            for (var i = 0; i < 3; i++)
            {
                Assert.NotEmpty(await service.ListClustersAsync(CancellationToken.None));
                await Task.Delay(2100);
            }

            Assert.True(role.AssumeCount >= 3);
            Assert.DoesNotContain(server.Requests, r => r.ErrorCode == "ExpiredToken");
            Assert.True(server.Requests.Where(r => r.Service == "rds").Select(r => r.AccessKeyId).Distinct().Count() >= 3);

            // The double itself refuses a key once it has expired, so the renewal above is what kept the run going.
            var stale = server.Keys.All.First(k => k.IssuedBy == "AssumeRole");
            using var staleClient = new RdsQueryClient(new RdsClientOptions("us-east-1", new StaticCredentialSource(new AwsCredentialSet(stale.AccessKeyId, stale.SecretKey, stale.SessionToken))) { EndpointUrl = server.Endpoint });
            var e = await Assert.ThrowsAsync<RdsApiException>(() => staleClient.DescribeDBClustersAsync());
            Assert.Equal("ExpiredToken", e.Code);
        }

        [Fact]
        public async Task ARefusedRoleSaysWhichRoleAndWhy()
        {
            await using var server = await StartAsync();
            server.Sts.DeniedRoles.Add(Role);
            using var role = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role), server.Endpoint, "us-east-1");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => role.GetCredentialsAsync(CancellationToken.None));
            Assert.Equal("RoleNotAssumed", e.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, e.Kind);
            Assert.Contains(Role, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretKey, e.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task TheExternalIdTheTrustPolicyNeedsIsSent()
        {
            await using var server = await StartAsync();
            server.Sts.ExternalIds[Role] = "ext-42";
            using var without = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role), server.Endpoint, "us-east-1");
            await Assert.ThrowsAsync<AuroraSecurityException>(() => without.GetCredentialsAsync(CancellationToken.None));
            using var with = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role) { ExternalId = "ext-42" }, server.Endpoint, "us-east-1");
            Assert.StartsWith("ASIADOUBLE", (await with.GetCredentialsAsync(CancellationToken.None)).AccessKey, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnMfaRoleWithoutAWayToAskIsAClearErrorAndWithACodeIsAssumed()
        {
            await using var server = await StartAsync();
            server.Sts.MfaSerials[Role] = "arn:aws:iam::000000000000:mfa/me";
            using var cannotAsk = new AssumedRoleCredentialSource(Source, new AssumeRoleSettings(Role) { MfaSerial = "arn:aws:iam::000000000000:mfa/me" }, server.Endpoint, "us-east-1");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => cannotAsk.GetCredentialsAsync(CancellationToken.None));
            Assert.Equal("MfaCodeNeeded", e.ErrorId);
            Assert.DoesNotContain(server.Requests, r => r.Action == "AssumeRole");
            using var asks = new AssumedRoleCredentialSource(Source,
                new AssumeRoleSettings(Role) { MfaSerial = "arn:aws:iam::000000000000:mfa/me", MfaTokenCode = serial => "123456" }, server.Endpoint, "us-east-1");
            Assert.StartsWith("ASIADOUBLE", (await asks.GetCredentialsAsync(CancellationToken.None)).AccessKey, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("arn:aws:iam::12345:role/x")]
        [InlineData("arn:aws:iam::123456789012:user/x")]
        [InlineData("Auditor")]
        public void RoleArnsAreChecked(string arn) =>
            Assert.Equal("RoleArnInvalid", Assert.Throws<AuroraSecurityException>(() => new AssumeRoleSettings(arn)).ErrorId);

        [Fact]
        public void AssumeRoleSettingsReadTheAccountAndCheckTheSessionName()
        {
            var settings = new AssumeRoleSettings("arn:aws-cn:iam::123456789012:role/path/Auditor");
            Assert.Equal(("123456789012", "aws-cn"), (settings.AccountId, settings.Partition));
            Assert.Throws<AuroraSecurityException>(() => settings.RoleSessionName = "has space");
            settings.DurationSeconds = 60;
            Assert.Equal("RoleDurationInvalid", Assert.Throws<AuroraSecurityException>(() => settings.Validate()).ErrorId);
        }

        [Fact]
        public void EndpointOverridesFollowTheSdkOrder()
        {
            var config = AwsConfigFile.Parse(
                "[profile p]\nendpoint_url = https://global.example\nservices = svc\n\n[services svc]\nrds =\n  endpoint_url = https://rds.example\nsts =\n  endpoint_url = https://sts.example\n\n[profile q]\nendpoint_url = https://q.example\n");
            var env = new Dictionary<string, string>();
            string? Env(string name) => env.TryGetValue(name, out var v) ? v : null;

            Assert.Equal("https://rds.example/", new ServiceEndpoints(Env, config, "p").Configured("rds")!.Value.Endpoint.ToString());
            Assert.Equal("https://sts.example/", new ServiceEndpoints(Env, config, "p").Configured("sts")!.Value.Endpoint.ToString());
            Assert.Equal("https://q.example/", new ServiceEndpoints(Env, config, "q").Configured("rds")!.Value.Endpoint.ToString());
            Assert.Null(new ServiceEndpoints(Env, config, "none").Configured("rds"));
            env["AWS_ENDPOINT_URL"] = "https://env-global.example";
            Assert.Equal("https://env-global.example/", new ServiceEndpoints(Env, config, "p").Configured("rds")!.Value.Endpoint.ToString());
            env["AWS_ENDPOINT_URL_RDS"] = "http://127.0.0.1:1/";
            var (endpoint, origin) = new ServiceEndpoints(Env, config, "p").Configured("rds")!.Value;
            Assert.Equal("http://127.0.0.1:1/", endpoint.ToString());
            Assert.Contains("AWS_ENDPOINT_URL_RDS", origin, StringComparison.Ordinal);
            env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
            Assert.Null(new ServiceEndpoints(Env, config, "p").Configured("rds"));
            Assert.Equal("https://sts.cn-north-1.amazonaws.com.cn/", ServiceEndpoints.RegionalSts("cn-north-1").ToString());
        }
    }
}
