using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>Form bodies compared with botocore's own query serializer for the same operation and input.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public class SerializationTests
    {
        private const string BotocoreSerialize = @"
import json, sys
import botocore.session
from botocore import serialize
model = botocore.session.get_session().get_service_model('rds')
op = model.operation_model(sys.argv[1])
body = serialize.create_serializer('query').serialize_to_request(json.loads(sys.argv[2]), op)['body']
print(json.dumps({k: str(v) for k, v in body.items()}))
";

        public static IEnumerable<object[]> Cases()
        {
            yield return Case("DescribeDBClusters",
                new { DBClusterIdentifier = "orders", Filters = new[] { new { Name = "engine", Values = new[] { "aurora-mysql", "aurora" } }, new { Name = "db-cluster-id", Values = new[] { "x" } } }, MaxRecords = 100 },
                c => c.DescribeDBClustersAsync("orders", new[] { new RdsFilter("engine", "aurora-mysql", "aurora"), new RdsFilter("db-cluster-id", "x") }));
            yield return Case("DescribeDBInstances",
                new { Filters = new[] { new { Name = "db-cluster-id", Values = new[] { "orders" } } }, MaxRecords = 100 },
                c => c.DescribeDBInstancesAsync(null, new[] { new RdsFilter("db-cluster-id", "orders") }));
            yield return Case("DescribeDBClusterParameters",
                new { DBClusterParameterGroupName = "tls-pg", Source = "user", MaxRecords = 100 },
                c => c.DescribeDBClusterParametersAsync("tls-pg", "user"));
            yield return Case("DescribeEngineDefaultClusterParameters",
                new { DBParameterGroupFamily = "aurora-mysql8.0", MaxRecords = 100 },
                c => c.DescribeEngineDefaultClusterParametersAsync("aurora-mysql8.0"));
            yield return Case("DescribeDBClusterParameterGroups",
                new { DBClusterParameterGroupName = "tls-pg", MaxRecords = 100 },
                c => c.DescribeDBClusterParameterGroupsAsync("tls-pg"));
            yield return Case("DescribeCertificates", new { MaxRecords = 100 }, c => c.DescribeCertificatesAsync());
            yield return Case("DescribeDBProxies", new { DBProxyName = "p1", MaxRecords = 100 }, c => c.DescribeDBProxiesAsync("p1"));
            yield return Case("DescribeDBProxyTargets", new { DBProxyName = "p1", MaxRecords = 100 }, c => c.DescribeDBProxyTargetsAsync("p1"));
            yield return Case("DescribeDBClusterSnapshots", new { SnapshotType = "manual", MaxRecords = 100 }, c => c.DescribeDBClusterSnapshotsAsync(null, "manual"));
            yield return Case("DescribeDBClusterSnapshotAttributes", new { DBClusterSnapshotIdentifier = "snap-1" }, c => c.DescribeDBClusterSnapshotAttributesAsync("snap-1"));
            yield return Case("ModifyDBClusterParameterGroup",
                new
                {
                    DBClusterParameterGroupName = "tls-pg",
                    Parameters = new object[]
                    {
                        new { ParameterName = "require_secure_transport", ParameterValue = "ON", ApplyMethod = "immediate" },
                        new { ParameterName = "ssl_cipher", ParameterValue = "ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256", ApplyMethod = "pending-reboot" },
                        new { ParameterName = "tls_version", ParameterValue = "TLSv1.2", ApplyMethod = "pending-reboot" },
                    },
                },
                c => c.ModifyDBClusterParameterGroupAsync("tls-pg", new[]
                {
                    new RdsParameter("require_secure_transport", "ON", "immediate"),
                    new RdsParameter("ssl_cipher", "ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256", "pending-reboot"),
                    new RdsParameter("tls_version", "TLSv1.2", "pending-reboot"),
                }));
            yield return Case("ResetDBClusterParameterGroup",
                new { DBClusterParameterGroupName = "tls-pg", Parameters = new object[] { new { ParameterName = "ssl_cipher", ApplyMethod = "pending-reboot" } } },
                c => c.ResetDBClusterParameterGroupAsync("tls-pg", false, new[] { new RdsParameter("ssl_cipher", null, "pending-reboot") }));
            yield return Case("ResetDBClusterParameterGroup",
                new { DBClusterParameterGroupName = "tls-pg", ResetAllParameters = true },
                c => c.ResetDBClusterParameterGroupAsync("tls-pg", true));
            yield return Case("CreateDBClusterParameterGroup",
                new { DBClusterParameterGroupName = "tls-pg", DBParameterGroupFamily = "aurora-mysql8.0", Description = "TLS hardened & strict" },
                c => c.CreateDBClusterParameterGroupAsync("tls-pg", "aurora-mysql8.0", "TLS hardened & strict"));
            yield return Case("ModifyDBCluster",
                new { DBClusterIdentifier = "orders", DBClusterParameterGroupName = "tls-pg", EnableIAMDatabaseAuthentication = true, ApplyImmediately = true },
                c => c.ModifyDBClusterAsync("orders", "tls-pg", true, true));
            yield return Case("ModifyDBCluster",
                new { DBClusterIdentifier = "orders", EnableIAMDatabaseAuthentication = false, ApplyImmediately = false },
                c => c.ModifyDBClusterAsync("orders", null, false));
            yield return Case("RebootDBInstance", new { DBInstanceIdentifier = "orders-1" }, c => c.RebootDBInstanceAsync("orders-1"));
        }

        [Trait(Needs.Key, Needs.AwsCli)]
        [Theory]
        [MemberData(nameof(Cases))]
        public async Task FormBodyEqualsBotocoreSerialization(string action, string botocoreParams, Func<RdsQueryClient, Task> call)
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok(action, SampleResult(action)));
            using (var client = FakeRdsHandler.Client(handler))
            {
                await call(client);
            }

            var ours = Assert.Single(handler.Requests).Form;
            var json = Botocore.Run(BotocoreSerialize, new Dictionary<string, string>(), action, botocoreParams);
            var reference = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
            Assert.Equal(reference.OrderBy(kv => kv.Key, StringComparer.Ordinal), ours.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        }

        [Fact]
        public void EmptyListIsSentAsNameWithEmptyValue()
        {
            var form = new RdsQueryRequest("DescribeDBClusters").AddFilters(new[] { new RdsFilter("engine") }).Fields;
            Assert.Contains(new KeyValuePair<string, string>("Filters.Filter.1.Values", string.Empty), form);
        }

        private static object[] Case(string action, object botocoreParams, Func<RdsQueryClient, Task> call) =>
            new object[] { action, JsonSerializer.Serialize(botocoreParams), call };

        private static string SampleResult(string action)
        {
            switch (action)
            {
                case "ModifyDBCluster": return "<DBCluster><DBClusterIdentifier>orders</DBClusterIdentifier></DBCluster>";
                case "RebootDBInstance": return "<DBInstance><DBInstanceIdentifier>orders-1</DBInstanceIdentifier></DBInstance>";
                default: return string.Empty;
            }
        }
    }
}
