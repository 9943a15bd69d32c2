using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using RdsDouble;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>The double's minimal mode, driven by the aws CLI: botocore reads the terse answers, and the held and delayed changes behave as described.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliMinimalModeConformanceTests : IAsyncLifetime
    {
        private RdsDoubleServer _server = null!;

        public async Task InitializeAsync()
        {
            _server = await DoubleFixture.StartAsync();
            // Long enough that a slow CLI start never outruns it; the test that needs the change visible makes it due itself.
            _server.Answers.Set("minimal", TimeSpan.FromMinutes(5));
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        [Fact]
        public async Task TerseAnswersLeaveOptionalFieldsOutAndTheCliStillReadsThem()
        {
            JsonElement parameters = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "secure-aurora-mysql80")).Json;
            JsonElement rst = parameters.GetProperty("Parameters").ByName("require_secure_transport");
            Assert.Equal("ON", rst.Str("ParameterValue"));
            foreach (var absent in new[] { "Source", "ApplyType", "DataType", "AllowedValues", "IsModifiable", "ApplyMethod", "Description" })
            {
                Assert.False(rst.TryGetProperty(absent, out _), absent + " should be left out");
            }

            // A parameter the group does not set has no value at all.
            JsonElement defaults = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "default.aurora-mysql8.0")).Json;
            Assert.False(defaults.GetProperty("Parameters").ByName("require_secure_transport").TryGetProperty("ParameterValue", out _));
            Assert.False(defaults.GetProperty("Parameters").ByName("ssl_cipher").TryGetProperty("ParameterValue", out _));

            JsonElement clusters = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "orders")).Json;
            JsonElement orders = clusters.Items("DBClusters").Single();
            Assert.False(orders.TryGetProperty("StorageEncrypted", out _));
            Assert.False(orders.TryGetProperty("PendingModifiedValues", out _));
            Assert.True(orders.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.All(orders.Items("DBClusterMembers"), m => Assert.Equal("in-sync", m.Str("DBClusterParameterGroupStatus")));

            JsonElement instance = (await AwsCli.RunAsync(_server, "describe-db-instances", "--db-instance-identifier", "orders-1")).Json.Items("DBInstances").Single();
            Assert.False(instance.TryGetProperty("CertificateDetails", out _));
            Assert.False(instance.TryGetProperty("PubliclyAccessible", out _));
            Assert.Equal("rds-ca-rsa2048-g1", instance.Str("CACertificateIdentifier"));
        }

        [Fact]
        public async Task ModifyDbClusterHoldsIamInPendingModifiedValuesUntilALaterDescribe()
        {
            JsonElement modified = (await AwsCli.RunAsync(_server, "modify-db-cluster", "--db-cluster-identifier", "billing",
                "--enable-iam-database-authentication", "--apply-immediately")).Json.GetProperty("DBCluster");
            Assert.False(modified.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.True(modified.GetProperty("PendingModifiedValues").GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());

            JsonElement first = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "billing")).Json.Items("DBClusters").Single();
            Assert.False(first.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.True(first.GetProperty("PendingModifiedValues").GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());

            JsonElement later = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "billing")).Json.Items("DBClusters").Single();
            Assert.True(later.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.False(later.TryGetProperty("PendingModifiedValues", out _));
            lock (_server.State.SyncRoot) Assert.True(_server.State.FindCluster("billing")!.IamDatabaseAuthenticationEnabled);
        }

        [Fact]
        public async Task ParameterChangesShowOnlyAfterTheDelayAndANewGroupAttachmentIsPendingReboot()
        {
            Assert.Equal(0, (await AwsCli.RunAsync(_server, "modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "legacy-aurora-mysql57",
                "--parameters", "ParameterName=require_secure_transport,ParameterValue=1,ApplyMethod=immediate")).ExitCode);
            JsonElement before = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "legacy-aurora-mysql57")).Json;
            Assert.False(before.GetProperty("Parameters").ByName("require_secure_transport").TryGetProperty("ParameterValue", out _));

            lock (_server.State.SyncRoot)
            {
                ClusterParameterGroupState legacy = _server.State.FindClusterParameterGroup("legacy-aurora-mysql57")!;
                Assert.Single(legacy.DelayedChanges);
                legacy.DelayedChanges[0].VisibleAt = DateTimeOffset.UtcNow; // the delay has passed
            }

            JsonElement after = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "legacy-aurora-mysql57")).Json;
            Assert.Equal("1", after.GetProperty("Parameters").ByName("require_secure_transport").Str("ParameterValue"));

            Assert.Equal(0, (await AwsCli.RunAsync(_server, "create-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "inventory-new",
                "--db-parameter-group-family", "aurora-mysql8.0", "--description", "new")).ExitCode);
            JsonElement attached = (await AwsCli.RunAsync(_server, "modify-db-cluster", "--db-cluster-identifier", "inventory",
                "--db-cluster-parameter-group-name", "inventory-new", "--apply-immediately")).Json.GetProperty("DBCluster");
            Assert.Equal("inventory-new", attached.Str("DBClusterParameterGroup"));
            Assert.All(attached.Items("DBClusterMembers"), m => Assert.Equal("pending-reboot", m.Str("DBClusterParameterGroupStatus")));
        }
    }
}
