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
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Rds;
using Xunit;

namespace AuroraSecurity.Tests.Iam
{
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class IamPolicyTests
    {
        // Calls every IRdsApi method on the real client and records the Action each one sends.
        private static async Task<IReadOnlyList<string>> ClientActionsAsync()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(HttpStatusCode.BadRequest, "InvalidParameterValue", "recorded"));
            using var client = FakeRdsHandler.Client(handler);
            var methods = typeof(IRdsApi).GetMethods();
            foreach (var method in methods)
            {
                var arguments = method.GetParameters().Select(Argument).ToArray();
                try
                {
                    await (Task)method.Invoke(client, arguments)!;
                }
                catch (RdsApiException)
                {
                    // Every call is answered with an error: only what it sent matters here.
                }
            }

            var actions = handler.Requests.Select(r => "rds:" + r.Form["Action"]).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(methods.Length, actions.Count);
            return actions;
        }

        private static object? Argument(ParameterInfo parameter)
        {
            var type = parameter.ParameterType;
            if (type == typeof(string)) return "x";
            // false for every flag: ResetDBClusterParameterGroup takes the named parameters or all, not both.
            if (type == typeof(bool)) return false;
            if (type == typeof(CancellationToken)) return CancellationToken.None;
            if (type == typeof(IReadOnlyList<RdsParameter>)) return new[] { new RdsParameter("require_secure_transport", "ON", RdsParameter.ApplyImmediate) };
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        [Fact]
        public async Task EveryActionTheRdsClientSendsIsInAPolicyOrListedAsSentByNoCmdlet()
        {
            var sent = await ClientActionsAsync();
            var allowed = AuroraIamPolicies.AuditActions.Concat(AuroraIamPolicies.ChangeActions).ToList();
            foreach (var action in sent)
            {
                Assert.True(allowed.Contains(action) || AuroraIamPolicies.UnusedClientActions.Contains(action), $"{action} is sent by the RDS client but no policy or list names it.");
            }

            Assert.Empty(AuroraIamPolicies.UnusedClientActions.Intersect(allowed));
            Assert.Empty(AuroraIamPolicies.UnusedClientActions.Except(sent));
        }

        [Fact]
        public void TheAuditPolicyOnlyReadsAndTheChangePolicyOnlyWrites()
        {
            Assert.All(AuroraIamPolicies.AuditActions, a => Assert.Matches("^(rds|ec2):Describe", a));
            Assert.Contains("ec2:DescribeSecurityGroups", AuroraIamPolicies.AuditActions);
            Assert.All(AuroraIamPolicies.ChangeActions, a => Assert.Matches("^rds:(Modify|Create)", a));
        }

        [Theory]
        [InlineData(IamPolicyScope.Audit)]
        [InlineData(IamPolicyScope.Change)]
        public void TheDocumentIsAnIamPolicyWithExactlyItsActions(IamPolicyScope scope)
        {
            var policy = AuroraIamPolicies.For(scope);
            using var document = JsonDocument.Parse(policy.Document);
            Assert.Equal("2012-10-17", document.RootElement.GetProperty("Version").GetString());
            var statement = Assert.Single(document.RootElement.GetProperty("Statement").EnumerateArray());
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            Assert.Equal("*", statement.GetProperty("Resource").GetString());
            var actions = statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToList();
            Assert.Equal(scope == IamPolicyScope.Audit ? AuroraIamPolicies.AuditActions : AuroraIamPolicies.ChangeActions, actions);
            Assert.Equal(actions, policy.Actions);
        }

        [Fact]
        public void AssumableRolesAddOneAssumeRoleStatementOnThoseRoles()
        {
            var policy = AuroraIamPolicies.For(IamPolicyScope.Audit, new[] { "arn:aws:iam::*:role/AuroraAuditor", "arn:aws-cn:iam::111111111111:role/Auditor" });
            using var document = JsonDocument.Parse(policy.Document);
            var assume = document.RootElement.GetProperty("Statement").EnumerateArray().Single(s => s.GetProperty("Action").ValueKind == JsonValueKind.String);
            Assert.Equal("sts:AssumeRole", assume.GetProperty("Action").GetString());
            Assert.Equal(new[] { "arn:aws:iam::*:role/AuroraAuditor", "arn:aws-cn:iam::111111111111:role/Auditor" }, assume.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
            Assert.Contains("sts:AssumeRole", policy.Actions);

            var e = Assert.Throws<AuroraSecurityException>(() => AuroraIamPolicies.For(IamPolicyScope.Audit, new[] { "AuroraAuditor" }));
            Assert.Equal("RoleArnInvalid", e.ErrorId);
        }

        private static string Cluster(string arn, string? resourceId) =>
            "<DBClusters><DBCluster><DBClusterIdentifier>orders</DBClusterIdentifier><DBClusterArn>" + arn + "</DBClusterArn>" +
            (resourceId == null ? string.Empty : "<DbClusterResourceId>" + resourceId + "</DbClusterResourceId>") + "</DBCluster></DBClusters>";

        [Fact]
        public async Task DbConnectNamesTheClustersResourceIdInItsPartitionRegionAndAccount()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeDBClusters", Cluster("arn:aws-cn:rds:cn-north-1:123456789012:cluster:orders", "cluster-ABCDEFGHIJKL")));
            using var client = FakeRdsHandler.Client(handler);
            var policy = await AuroraIamPolicies.DbConnectAsync(client, "eu-west-1", "orders", new[] { "app", "reporting" });
            Assert.Equal(new[] { "arn:aws-cn:rds-db:cn-north-1:123456789012:dbuser:cluster-ABCDEFGHIJKL/app", "arn:aws-cn:rds-db:cn-north-1:123456789012:dbuser:cluster-ABCDEFGHIJKL/reporting" }, policy.Resources);
            using var document = JsonDocument.Parse(policy.Document);
            var statement = Assert.Single(document.RootElement.GetProperty("Statement").EnumerateArray());
            Assert.Equal("rds-db:connect", statement.GetProperty("Action").GetString());
            Assert.Equal("orders", handler.Requests.Single().Form["DBClusterIdentifier"]);
        }

        [Fact]
        public async Task DbConnectWithoutTheResourceIdIsAnErrorNotAGuess()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeDBClusters", Cluster("arn:aws:rds:eu-west-1:123456789012:cluster:orders", null)));
            using var client = FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraIamPolicies.DbConnectAsync(client, "eu-west-1", "orders", new[] { "app" }));
            Assert.Equal("ClusterResourceIdUnknown", e.ErrorId);
            Assert.Contains("'orders'", e.Message);
        }

        [Fact]
        public async Task DbConnectForAClusterRdsDoesNotKnowIsClusterNotFound()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(HttpStatusCode.NotFound, "DBClusterNotFoundFault", "DBCluster nosuch not found."));
            using var client = FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraIamPolicies.DbConnectAsync(client, "eu-west-1", "nosuch", new[] { "app" }));
            Assert.Equal(RdsErrorTranslator.ClusterNotFoundId, e.ErrorId);
        }
    }
}
