using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Iam;
using AuroraSecurity.Rds;
using AuroraSecurity.Secrets;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Rds;
using Xunit;

namespace AuroraSecurity.Tests.Iam
{
    /// <summary>The audit policy's statements for -UseManagedMasterSecret: GetSecretValue on the master secrets, kms:Decrypt only through Secrets Manager.</summary>
    public sealed class ManagedSecretPolicyTests
    {
        private static JsonElement[] Statements(IamPolicy policy)
        {
            using var document = JsonDocument.Parse(policy.Document);
            return document.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.Clone()).ToArray();
        }

        private static JsonElement Sid(IamPolicy policy, string sid) => Statements(policy).Single(s => s.GetProperty("Sid").GetString() == sid);

        [Fact]
        [Trait(Needs.Key, Needs.Nothing)]
        public async Task EveryActionTheSecretsManagerClientSendsIsInTheManagedSecretStatement()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Xml(HttpStatusCode.BadRequest, "{\"__type\":\"ResourceNotFoundException\"}"));
            using (var client = new SecretsManagerClient(new RdsClientOptions("eu-west-1", new StaticCredentialSource(FakeRdsHandler.Keys())) { Retry = RdsRetryPolicy.None }, null, handler))
            {
                foreach (var method in typeof(ISecretsManagerApi).GetMethods())
                {
                    var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(string) ? (object)"arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf" : CancellationToken.None).ToArray();
                    await Assert.ThrowsAsync<SecretsManagerApiException>(() => (Task)method.Invoke(client, arguments)!);
                }
            }

            var sent = handler.Requests.Select(r => r.Headers["X-Amz-Target"].Replace("secretsmanager.", "secretsmanager:")).Distinct().ToList();
            Assert.Equal(typeof(ISecretsManagerApi).GetMethods().Length, sent.Count);
            Assert.Equal(sent, AuroraIamPolicies.ManagedMasterSecretActions);
            var policy = AuroraIamPolicies.For(IamPolicyScope.Audit, null, AuroraIamPolicies.AllManagedSecrets("eu-west-1", null));
            Assert.All(sent, a => Assert.Contains(a, policy.Actions));
            Assert.All(AuroraIamPolicies.AuditActions, a => Assert.Contains(a, policy.Actions));
        }

        [Theory]
        [Trait(Needs.Key, Needs.Nothing)]
        [InlineData("eu-west-1", "arn:aws:secretsmanager:eu-west-1:*:secret:rds!cluster-*", "StringEquals", "secretsmanager.eu-west-1.amazonaws.com")]
        [InlineData("cn-north-1", "arn:aws-cn:secretsmanager:cn-north-1:*:secret:rds!cluster-*", "StringEquals", "secretsmanager.cn-north-1.amazonaws.com.cn")]
        [InlineData(null, "arn:aws:secretsmanager:*:*:secret:rds!cluster-*", "StringLike", "secretsmanager.*.amazonaws.com")]
        public void WithoutClustersEveryRdsManagedSecretOfTheRegionIsNamed(string? region, string resource, string condition, string viaService)
        {
            var policy = AuroraIamPolicies.For(IamPolicyScope.Audit, null, AuroraIamPolicies.AllManagedSecrets(region, null));
            var read = Sid(policy, "AuroraSecurityManagedMasterSecret");
            Assert.Equal("secretsmanager:GetSecretValue", read.GetProperty("Action").GetString());
            Assert.Equal(resource, read.GetProperty("Resource").GetString());
            var key = Sid(policy, "AuroraSecurityManagedMasterSecretKey");
            Assert.Equal("kms:Decrypt", key.GetProperty("Action").GetString());
            Assert.Equal("*", key.GetProperty("Resource").GetString());
            Assert.Equal(viaService, key.GetProperty("Condition").GetProperty(condition).GetProperty("kms:ViaService").GetString());
            Assert.Contains(resource, policy.Resources);
            Assert.Equal(3, Statements(policy).Length);
        }

        [Fact]
        [Trait(Needs.Key, Needs.Nothing)]
        public void TheChangePolicyNeverReadsSecrets()
        {
            var policy = AuroraIamPolicies.For(IamPolicyScope.Change, null, AuroraIamPolicies.AllManagedSecrets("eu-west-1", null));
            Assert.DoesNotContain(policy.Actions, a => a.StartsWith("secretsmanager:", StringComparison.Ordinal) || a.StartsWith("kms:", StringComparison.Ordinal));
            Assert.Single(Statements(policy));
        }

        [Fact]
        [Trait(Needs.Key, Needs.RdsDouble)]
        public async Task NamedClustersGetTheirOwnSecretAndKeyAndAClusterWithoutOneIsAnError()
        {
            await using var d = await DoubleClient.StartAsync();
            d.Server.State.ManageMasterUserPassword("legacy", "admin", "x");
            var grant = await AuroraIamPolicies.ManagedSecretsAsync(d.Client, DoubleClient.Region, new[] { "analytics", "legacy" });
            Assert.Equal(new[] { d.Server.State.MasterUserSecretArn("analytics"), d.Server.State.MasterUserSecretArn("legacy") }, grant.SecretArns);
            var key = Assert.Single(grant.KmsKeyArns);
            Assert.StartsWith("arn:aws:kms:us-east-1:123456789012:key/", key);
            var policy = AuroraIamPolicies.For(IamPolicyScope.Audit, null, grant);
            var read = Sid(policy, "AuroraSecurityManagedMasterSecret");
            Assert.Equal(grant.SecretArns, read.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
            var decrypt = Sid(policy, "AuroraSecurityManagedMasterSecretKey");
            Assert.Equal(key, decrypt.GetProperty("Resource").GetString());
            Assert.Equal("secretsmanager.us-east-1.amazonaws.com", decrypt.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetString());

            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraIamPolicies.ManagedSecretsAsync(d.Client, DoubleClient.Region, new[] { "analytics", "billing" }));
            Assert.Equal("ManagedSecretMissing", e.ErrorId);
            Assert.Contains("'billing'", e.Message);
        }
    }
}
