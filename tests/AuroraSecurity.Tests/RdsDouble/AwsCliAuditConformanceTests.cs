using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using RdsDouble;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>The reads of the security audit (snapshots, proxy targets, the new cluster and instance fields, EC2 security groups), driven by the aws CLI.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliAuditConformanceTests : IClassFixture<DoubleFixture>
    {
        private readonly RdsDoubleServer _server;

        public AwsCliAuditConformanceTests(DoubleFixture fixture) => _server = fixture.Server;

        [Fact]
        public async Task DescribeDBClustersCarriesTheAuditFields()
        {
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "analytics")).Json;
            JsonElement a = json.Items("DBClusters").Single();
            Assert.True(a.GetProperty("DeletionProtection").GetBoolean());
            Assert.Equal(14, a.GetProperty("BackupRetentionPeriod").GetInt32());
            Assert.True(a.GetProperty("CopyTagsToSnapshot").GetBoolean());
            Assert.Equal("dbmaster", a.Str("MasterUsername"));
            Assert.Equal(3307, a.GetProperty("Port").GetInt32());
            Assert.Equal(new[] { "audit", "error", "slowquery" }, a.GetProperty("EnabledCloudwatchLogsExports").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.Equal("sg-0a11a11a11a11a11a", a.Items("VpcSecurityGroups").Single().Str("VpcSecurityGroupId"));
            JsonElement secret = a.GetProperty("MasterUserSecret");
            Assert.StartsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-", secret.Str("SecretArn"));
            Assert.Equal("active", secret.Str("SecretStatus"));

            JsonElement billing = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "billing")).Json.Items("DBClusters").Single();
            Assert.False(billing.GetProperty("DeletionProtection").GetBoolean());
            Assert.Equal(1, billing.GetProperty("BackupRetentionPeriod").GetInt32());
            Assert.False(billing.TryGetProperty("MasterUserSecret", out _));
            Assert.Equal(2, billing.Items("VpcSecurityGroups").Count());
        }

        [Fact]
        public async Task DescribeDBInstancesCarriesPublicAccessClassAndMinorUpgrade()
        {
            var instances = (await AwsCli.RunAsync(_server, "describe-db-instances", "--filters", "Name=engine,Values=aurora-mysql,aurora")).Json.Items("DBInstances").ToList();
            Assert.Equal(10, instances.Count);
            JsonElement Instance(string id) => instances.Single(i => i.Str("DBInstanceIdentifier") == id);
            Assert.True(Instance("billing-2").GetProperty("PubliclyAccessible").GetBoolean());
            Assert.False(Instance("billing-1").GetProperty("PubliclyAccessible").GetBoolean());
            Assert.Equal("db.t3.medium", Instance("legacy-2").Str("DBInstanceClass"));
            Assert.False(Instance("inventory-2").GetProperty("AutoMinorVersionUpgrade").GetBoolean());
            Assert.True(Instance("inventory-1").GetProperty("AutoMinorVersionUpgrade").GetBoolean());
            Assert.Equal("rds-ca-2019", Instance("legacy-1").Str("CACertificateIdentifier"));
        }

        [Fact]
        public async Task DescribeDBClusterSnapshotsManualAndAutomatedAndAttributes()
        {
            JsonElement manual = (await AwsCli.RunAsync(_server, "describe-db-cluster-snapshots", "--snapshot-type", "manual")).Json;
            var snapshots = manual.Items("DBClusterSnapshots").ToList();
            Assert.Equal(new[] { "analytics-before-upgrade", "billing-month-end", "orders-migration" }, snapshots.Select(s => s.Str("DBClusterSnapshotIdentifier")).ToArray());
            JsonElement orders = snapshots.Single(s => s.Str("DBClusterIdentifier") == "orders");
            Assert.False(orders.GetProperty("StorageEncrypted").GetBoolean());
            Assert.Equal("manual", orders.Str("SnapshotType"));
            Assert.Equal("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-migration", orders.Str("DBClusterSnapshotArn"));

            JsonElement forOrders = (await AwsCli.RunAsync(_server, "describe-db-cluster-snapshots", "--db-cluster-identifier", "orders")).Json;
            Assert.Equal(new[] { "orders-migration", "orders-nightly-auto" }, forOrders.Items("DBClusterSnapshots").Select(s => s.Str("DBClusterSnapshotIdentifier")).ToArray());

            JsonElement attributes = (await AwsCli.RunAsync(_server, "describe-db-cluster-snapshot-attributes", "--db-cluster-snapshot-identifier", "billing-month-end")).Json;
            JsonElement result = attributes.GetProperty("DBClusterSnapshotAttributesResult");
            Assert.Equal("billing-month-end", result.Str("DBClusterSnapshotIdentifier"));
            JsonElement restore = result.Items("DBClusterSnapshotAttributes").Single();
            Assert.Equal("restore", restore.Str("AttributeName"));
            Assert.Equal(new[] { "all" }, restore.GetProperty("AttributeValues").EnumerateArray().Select(v => v.GetString()).ToArray());

            (await AwsCli.RunAsync(_server, "describe-db-cluster-snapshot-attributes", "--db-cluster-snapshot-identifier", "nope")).AssertError("DBClusterSnapshotNotFoundFault");
            (await AwsCli.RunAsync(_server, "describe-db-cluster-snapshots", "--snapshot-type", "weekly")).AssertError("InvalidParameterValue");
        }

        [Fact]
        public async Task DescribeDBProxyTargetsTrackedClusterAndItsInstances()
        {
            var proxies = (await AwsCli.RunAsync(_server, "describe-db-proxies")).Json.Items("DBProxies").ToList();
            Assert.False(proxies.Single(p => p.Str("DBProxyName") == "billing-proxy").GetProperty("RequireTLS").GetBoolean());

            var targets = (await AwsCli.RunAsync(_server, "describe-db-proxy-targets", "--db-proxy-name", "billing-proxy")).Json.Items("Targets").ToList();
            Assert.Equal(3, targets.Count);
            JsonElement tracked = targets.Single(t => t.Str("Type") == "TRACKED_CLUSTER");
            Assert.Equal("billing", tracked.Str("TrackedClusterId"));
            Assert.Equal(new[] { "READ_WRITE", "READ_ONLY" }, targets.Where(t => t.Str("Type") == "RDS_INSTANCE").Select(t => t.Str("Role")).ToArray());
            Assert.All(targets, t => Assert.Equal("billing", t.Str("TrackedClusterId")));
            (await AwsCli.RunAsync(_server, "describe-db-proxy-targets", "--db-proxy-name", "nope")).AssertError("DBProxyNotFoundFault");
        }

        [Fact]
        public async Task Ec2DescribeSecurityGroupsInEc2sNamespaceSignedForEc2()
        {
            JsonElement json = (await AwsCli.RunEc2Async(_server, "describe-security-groups", "--filters", "Name=group-id,Values=sg-0b1111b1111b1111b,sg-0c2222c2222c2222c,sg-0nothere")).Json;
            var groups = json.Items("SecurityGroups").ToList();
            Assert.Equal(new[] { "sg-0b1111b1111b1111b", "sg-0c2222c2222c2222c" }, groups.Select(g => g.Str("GroupId")).ToArray());
            JsonElement vendor = groups[0].Items("IpPermissions").Single();
            Assert.Equal("tcp", vendor.Str("IpProtocol"));
            Assert.Equal(3300, vendor.GetProperty("FromPort").GetInt32());
            Assert.Equal(3310, vendor.GetProperty("ToPort").GetInt32());
            Assert.Equal("0.0.0.0/0", vendor.Items("IpRanges").Single().Str("CidrIp"));
            JsonElement all = groups[1].Items("IpPermissions").Single();
            Assert.Equal("-1", all.Str("IpProtocol"));
            Assert.False(all.TryGetProperty("FromPort", out _));
            Assert.Equal("::/0", all.Items("Ipv6Ranges").Single().Str("CidrIpv6"));

            JsonElement byId = (await AwsCli.RunEc2Async(_server, "describe-security-groups", "--group-ids", "sg-0123456789abcdef0")).Json;
            JsonElement app = byId.Items("SecurityGroups").Single();
            Assert.Equal("app-to-db", app.Str("GroupName"));
            Assert.Equal("sg-0d3333d3333d3333d", app.Items("IpPermissions").Last().Items("UserIdGroupPairs").Single().Str("GroupId"));

            var missing = await AwsCli.RunEc2Async(_server, "describe-security-groups", "--group-ids", "sg-0nothere");
            missing.AssertError("InvalidGroup.NotFound");
        }
    }
}
