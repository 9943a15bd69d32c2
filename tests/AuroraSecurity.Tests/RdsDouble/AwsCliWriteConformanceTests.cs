using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>Write operations of the double, driven by the aws CLI. Each test works on clusters and groups of its own.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliWriteConformanceTests : IClassFixture<DoubleFixture>
    {
        private readonly RdsDoubleServer _server;

        public AwsCliWriteConformanceTests(DoubleFixture fixture) => _server = fixture.Server;

        private List<string> StateStatuses(string cluster)
        {
            lock (_server.State.SyncRoot)
            {
                return _server.State.MembersOf(_server.State.FindCluster(cluster)!).Select(m => m.ClusterParameterGroupStatus).ToList();
            }
        }

        private async Task<List<string>> MemberStatuses(string cluster)
        {
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", cluster)).Json;
            return json.Items("DBClusters").Single().Items("DBClusterMembers").Select(m => m.Str("DBClusterParameterGroupStatus")).ToList();
        }

        [Fact]
        public async Task StaticChangeRoundTripPendingRebootOnEveryClusterSharingTheGroupClearedByReboot()
        {
            IReadOnlyList<string> ids = _server.State.AddAuroraMySqlClusters(2, 1, "5.7.mysql_aurora.2.11.2", prefix: "roundtrip");
            string group = "roundtrip-cpg-001";

            JsonElement modified = (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", group,
                "--parameters", "ParameterName=ssl_cipher,ParameterValue=\"ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384\",ApplyMethod=pending-reboot")).Json;
            Assert.Equal(group, modified.Str("DBClusterParameterGroupName"));

            JsonElement user = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", group, "--source", "user")).Json;
            JsonElement cipher = user.GetProperty("Parameters").ByName("ssl_cipher");
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384", cipher.Str("ParameterValue"));
            Assert.Equal("user", cipher.Str("Source"));
            Assert.Equal("pending-reboot", cipher.Str("ApplyMethod"));

            Assert.Equal(new[] { "pending-reboot", "pending-reboot" }, await MemberStatuses(ids[0]));
            Assert.Equal(new[] { "pending-reboot", "pending-reboot" }, StateStatuses(ids[1]));

            JsonElement reboot = (await AwsCli.RunAsync(_server, "reboot-db-instance", "--db-instance-identifier", ids[0] + "-1")).Json;
            Assert.Equal("rebooting", reboot.GetProperty("DBInstance").Str("DBInstanceStatus"));
            Assert.Equal(new[] { "in-sync", "pending-reboot" }, await MemberStatuses(ids[0]));
            Assert.Equal(new[] { "pending-reboot", "pending-reboot" }, StateStatuses(ids[1]));

            (await AwsCli.RunAsync(_server, "reboot-db-instance", "--db-instance-identifier", "ghost-1")).AssertError("DBInstanceNotFound");
        }

        [Fact]
        public async Task DynamicImmediateChangeRequireSecureTransportOnNeedsNoReboot()
        {
            IReadOnlyList<string> ids = _server.State.AddAuroraMySqlClusters(1, 1, prefix: "rst");
            JsonElement ok = (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "rst-cpg-001",
                "--parameters", "ParameterName=require_secure_transport,ParameterValue=ON,ApplyMethod=immediate")).Json;
            Assert.Equal("rst-cpg-001", ok.Str("DBClusterParameterGroupName"));
            Assert.Equal(new[] { "in-sync", "in-sync" }, StateStatuses(ids[0]));

            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "rst-cpg-001",
                "--parameters", "ParameterName=require_secure_transport,ParameterValue=maybe,ApplyMethod=immediate")).AssertError("InvalidParameterValue");
        }

    }

    /// <summary>Refusals and group life cycle of the double, driven by the aws CLI.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliGroupLifecycleTests : IClassFixture<DoubleFixture>
    {
        private readonly RdsDoubleServer _server;

        public AwsCliGroupLifecycleTests(DoubleFixture fixture) => _server = fixture.Server;

        private List<string> UserParameters(string group)
        {
            lock (_server.State.SyncRoot)
            {
                return _server.State.FindClusterParameterGroup(group)!.Parameters.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToList();
            }
        }

        [Fact]
        public async Task ModifyRefusalsAsRdsNamesThem()
        {
            _server.State.AddAuroraMySqlClusters(1, 1, "5.7.mysql_aurora.2.11.2", prefix: "refuse");
            const string group = "refuse-cpg-001";

            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "default.aurora-mysql8.0",
                "--parameters", "ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate")).AssertError("InvalidDBParameterGroupState");

            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", group,
                "--parameters", "ParameterName=tls_version,ParameterValue=TLSv1.2,ApplyMethod=immediate")).AssertError("InvalidParameterCombination");

            var many = new List<string> { "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", group, "--parameters" };
            string[] dynamicNames = ParameterCatalog.For("aurora-mysql5.7")!.Where(p => !p.IsStatic && p.IsModifiable && p.DataType == "boolean")
                .Select(p => p.Name).Take(21).ToArray();
            Assert.Equal(21, dynamicNames.Length);
            many.AddRange(dynamicNames.Select(n => $"ParameterName={n},ParameterValue=1,ApplyMethod=immediate"));
            (await AwsCli.RunAsync(_server, many.ToArray())).AssertError("InvalidParameterValue");
            var twenty = many.Take(many.Count - 1).ToArray();
            Assert.Equal(0, (await AwsCli.RunAsync(_server, twenty)).ExitCode);

            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", group,
                "--parameters", "ParameterName=ssl_cipher,ParameterValue=\"ECDHE-RSA-AES256-GCM-SHA384,RC4-MD5\",ApplyMethod=pending-reboot"))
                .AssertError("InvalidParameterValue");
            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", group,
                "--parameters", "ParameterName=server_id,ParameterValue=7,ApplyMethod=pending-reboot")).AssertError("InvalidParameterValue");
            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "no-such-group",
                "--parameters", "ParameterName=tls_version,ParameterValue=TLSv1.2,ApplyMethod=pending-reboot")).AssertError("DBParameterGroupNotFound");

            // Nothing of the refused requests leaked into the group.
            var names = UserParameters(group);
            Assert.DoesNotContain("tls_version", names);
            Assert.DoesNotContain("ssl_cipher", names);
            Assert.Equal(20, names.Count);
        }

        [Fact]
        public async Task TlsVersionDoesNotExistOnAuroraMySql3()
        {
            _server.State.AddAuroraMySqlClusters(1, 1, "8.0.mysql_aurora.3.05.2", prefix: "v3tls");
            (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "v3tls-cpg-001",
                "--parameters", "ParameterName=tls_version,ParameterValue=TLSv1.2,ApplyMethod=pending-reboot")).AssertError("InvalidParameterValue");
        }

        [Fact]
        public async Task CreateGroupAttachWithModifyDBClusterResetAll()
        {
            JsonElement created = (await AwsCli.RunAsync(_server, "create-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "created-v3",
                "--db-parameter-group-family", "aurora-mysql8.0", "--description", "made by a test")).Json;
            JsonElement g = created.GetProperty("DBClusterParameterGroup");
            Assert.Equal("created-v3", g.Str("DBClusterParameterGroupName"));
            Assert.Equal("aurora-mysql8.0", g.Str("DBParameterGroupFamily"));
            Assert.Equal("arn:aws:rds:us-east-1:123456789012:cluster-pg:created-v3", g.Str("DBClusterParameterGroupArn"));

            (await AwsCli.RunAsync(_server, "create-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "created-v3",
                "--db-parameter-group-family", "aurora-mysql8.0", "--description", "again")).AssertError("DBParameterGroupAlreadyExists");

            Assert.Empty(UserParameters("created-v3"));

            IReadOnlyList<string> ids = _server.State.AddAuroraMySqlClusters(1, 1, prefix: "attach");
            JsonElement cluster = (await AwsCli.RunAsync(_server, "modify-db-cluster", "--db-cluster-identifier", ids[0],
                "--db-cluster-parameter-group-name", "created-v3", "--no-enable-iam-database-authentication", "--apply-immediately")).Json;
            JsonElement c = cluster.GetProperty("DBCluster");
            Assert.Equal("created-v3", c.Str("DBClusterParameterGroup"));
            Assert.False(c.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.All(c.Items("DBClusterMembers"), m => Assert.Equal("pending-reboot", m.Str("DBClusterParameterGroupStatus")));

            lock (_server.State.SyncRoot) Assert.False(_server.State.FindCluster(ids[0])!.IamDatabaseAuthenticationEnabled);

            (await AwsCli.RunAsync(_server, "modify-db-cluster", "--db-cluster-identifier", ids[0],
                "--db-cluster-parameter-group-name", "shared-aurora-mysql57")).AssertError("InvalidParameterCombination");
            (await AwsCli.RunAsync(_server, "modify-db-cluster", "--db-cluster-identifier", ids[0],
                "--db-cluster-parameter-group-name", "no-such-group")).AssertError("DBClusterParameterGroupNotFound");

            lock (_server.State.SyncRoot)
            {
                ClusterParameterGroupState seededGroup = _server.State.FindClusterParameterGroup("created-v3")!;
                seededGroup.Parameters["require_secure_transport"] = new ParameterSetting { Value = "1", ApplyMethod = "immediate" };
                seededGroup.Parameters["server_audit_logging"] = new ParameterSetting { Value = "1", ApplyMethod = "immediate" };
            }
            JsonElement reset = (await AwsCli.RunAsync(_server, "reset-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "created-v3",
                "--parameters", "ParameterName=server_audit_logging,ApplyMethod=immediate")).Json;
            Assert.Equal("created-v3", reset.Str("DBClusterParameterGroupName"));
            Assert.Equal(new[] { "require_secure_transport" }, UserParameters("created-v3"));

            Assert.Equal(0, (await AwsCli.RunAsync(_server, "reset-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "created-v3",
                "--reset-all-parameters")).ExitCode);
            Assert.Empty(UserParameters("created-v3"));

            (await AwsCli.RunAsync(_server, "reset-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "default.aurora-mysql5.7",
                "--reset-all-parameters")).AssertError("InvalidDBParameterGroupState");
        }
    }
}
