using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class ResponseParsingTests
    {
        private static async Task<T> Answer<T>(string action, string resultXml, Func<RdsQueryClient, Task<T>> call)
        {
            using var client = FakeRdsHandler.Client(new FakeRdsHandler((r, n) => FakeRdsHandler.Ok(action, resultXml)));
            return await call(client);
        }

        [Fact]
        public async Task ClustersAreReadInAnyElementOrderWithMembers()
        {
            // Members in a shuffled order and an unknown element: the parser must not depend on either.
            const string xml = @"
<DBClusters>
  <DBCluster>
    <DBClusterMembers>
      <DBClusterMember><IsClusterWriter>true</IsClusterWriter><DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><DBInstanceIdentifier>orders-1</DBInstanceIdentifier><PromotionTier>1</PromotionTier></DBClusterMember>
      <DBClusterMember><DBInstanceIdentifier>orders-2</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter><DBClusterParameterGroupStatus>pending-reboot</DBClusterParameterGroupStatus></DBClusterMember>
    </DBClusterMembers>
    <Status>available</Status>
    <SomethingNew><Nested>1</Nested></SomethingNew>
    <Port>3306</Port>
    <Engine>aurora-mysql</Engine>
    <EngineVersion>8.0.mysql_aurora.3.05.2</EngineVersion>
    <EngineMode>provisioned</EngineMode>
    <DBClusterIdentifier>orders</DBClusterIdentifier>
    <DBClusterArn>arn:aws:rds:eu-west-1:123456789012:cluster:orders</DBClusterArn>
    <Endpoint>orders.cluster-abc.eu-west-1.rds.amazonaws.com</Endpoint>
    <ReaderEndpoint>orders.cluster-ro-abc.eu-west-1.rds.amazonaws.com</ReaderEndpoint>
    <DBClusterParameterGroup>tls-pg</DBClusterParameterGroup>
    <MasterUsername>admin</MasterUsername>
    <IAMDatabaseAuthenticationEnabled>true</IAMDatabaseAuthenticationEnabled>
    <StorageEncrypted>true</StorageEncrypted>
    <AvailabilityZones><AvailabilityZone>eu-west-1a</AvailabilityZone></AvailabilityZones>
  </DBCluster>
  <DBCluster><DBClusterIdentifier>docs</DBClusterIdentifier><Engine>docdb</Engine></DBCluster>
</DBClusters>";
            var clusters = await Answer("DescribeDBClusters", xml, c => c.DescribeDBClustersAsync());
            Assert.Equal(2, clusters.Count);
            var orders = clusters[0];
            Assert.Equal("orders", orders.DBClusterIdentifier);
            Assert.Equal("arn:aws:rds:eu-west-1:123456789012:cluster:orders", orders.DBClusterArn);
            Assert.Equal("aurora-mysql", orders.Engine);
            Assert.Equal("8.0.mysql_aurora.3.05.2", orders.EngineVersion);
            Assert.Equal("provisioned", orders.EngineMode);
            Assert.Equal("orders.cluster-abc.eu-west-1.rds.amazonaws.com", orders.Endpoint);
            Assert.Equal("orders.cluster-ro-abc.eu-west-1.rds.amazonaws.com", orders.ReaderEndpoint);
            Assert.Equal(3306, orders.Port);
            Assert.Equal("tls-pg", orders.DBClusterParameterGroup);
            Assert.Equal("admin", orders.MasterUsername);
            Assert.True(orders.IAMDatabaseAuthenticationEnabled);
            Assert.True(orders.StorageEncrypted);
            Assert.Equal("available", orders.Status);
            Assert.Equal(new[] { "orders-1", "orders-2" }, orders.DBClusterMembers.Select(m => m.DBInstanceIdentifier));
            Assert.True(orders.DBClusterMembers[0].IsClusterWriter);
            Assert.Equal("pending-reboot", orders.DBClusterMembers[1].DBClusterParameterGroupStatus);
            Assert.Equal("docdb", clusters[1].Engine);
            Assert.Empty(clusters[1].DBClusterMembers);
            Assert.Null(clusters[1].IAMDatabaseAuthenticationEnabled); // left out: unknown, never false
        }

        [Fact]
        public async Task InstancesCarryEndpointCertificateAndParameterGroupStatus()
        {
            const string xml = @"
<DBInstances><DBInstance>
  <CertificateDetails><ValidTill>2061-05-21T22:23:47Z</ValidTill><CAIdentifier>rds-ca-rsa2048-g1</CAIdentifier></CertificateDetails>
  <DBParameterGroups><DBParameterGroup><ParameterApplyStatus>pending-reboot</ParameterApplyStatus><DBParameterGroupName>default.aurora-mysql8.0</DBParameterGroupName></DBParameterGroup></DBParameterGroups>
  <Endpoint><Port>3306</Port><Address>orders-1.abc.eu-west-1.rds.amazonaws.com</Address><HostedZoneId>Z1</HostedZoneId></Endpoint>
  <DBInstanceIdentifier>orders-1</DBInstanceIdentifier>
  <DBClusterIdentifier>orders</DBClusterIdentifier>
  <CACertificateIdentifier>rds-ca-rsa2048-g1</CACertificateIdentifier>
  <DBInstanceStatus>available</DBInstanceStatus>
  <DBInstanceClass>db.r6g.large</DBInstanceClass>
  <Engine>aurora-mysql</Engine>
</DBInstance></DBInstances>";
            var instance = Assert.Single(await Answer("DescribeDBInstances", xml, c => c.DescribeDBInstancesAsync()));
            Assert.Equal("orders-1", instance.DBInstanceIdentifier);
            Assert.Equal("orders", instance.DBClusterIdentifier);
            Assert.Equal("orders-1.abc.eu-west-1.rds.amazonaws.com", instance.EndpointAddress);
            Assert.Equal(3306, instance.EndpointPort);
            Assert.Equal("rds-ca-rsa2048-g1", instance.CACertificateIdentifier);
            Assert.Equal(new DateTime(2061, 5, 21, 22, 23, 47, DateTimeKind.Utc), instance.CertificateValidTill);
            Assert.Equal(DateTimeKind.Utc, instance.CertificateValidTill!.Value.Kind);
            var group = Assert.Single(instance.DBParameterGroups);
            Assert.Equal("default.aurora-mysql8.0", group.DBParameterGroupName);
            Assert.Equal("pending-reboot", group.ParameterApplyStatus);
        }

        [Fact]
        public async Task ParametersKeepAllMetadataAndEmptyValues()
        {
            const string xml = @"
<Parameters>
  <Parameter>
    <AllowedValues>0,1,OFF,ON</AllowedValues><ApplyType>dynamic</ApplyType><DataType>boolean</DataType>
    <Description>When ON, the server requires encrypted connections.</Description><IsModifiable>true</IsModifiable>
    <ApplyMethod>pending-reboot</ApplyMethod><ParameterName>require_secure_transport</ParameterName><ParameterValue>ON</ParameterValue>
    <Source>user</Source><MinimumEngineVersion>8.0.mysql_aurora.3.01.0</MinimumEngineVersion>
  </Parameter>
  <Parameter><ParameterName>ssl_cipher</ParameterName><ParameterValue></ParameterValue><ApplyType>static</ApplyType><IsModifiable>true</IsModifiable><Source>engine-default</Source></Parameter>
  <Parameter><ParameterName>innodb_page_size</ParameterName><IsModifiable>false</IsModifiable></Parameter>
</Parameters>";
            var parameters = await Answer("DescribeDBClusterParameters", xml, c => c.DescribeDBClusterParametersAsync("tls-pg"));
            Assert.Equal(3, parameters.Count);
            var rst = parameters[0];
            Assert.Equal("require_secure_transport", rst.ParameterName);
            Assert.Equal("ON", rst.ParameterValue);
            Assert.Equal("dynamic", rst.ApplyType);
            Assert.Equal("boolean", rst.DataType);
            Assert.Equal("0,1,OFF,ON", rst.AllowedValues);
            Assert.True(rst.IsModifiable);
            Assert.Equal("user", rst.Source);
            Assert.Equal("pending-reboot", rst.ApplyMethod);
            Assert.Equal("8.0.mysql_aurora.3.01.0", rst.MinimumEngineVersion);
            Assert.StartsWith("When ON", rst.Description);
            Assert.Equal(string.Empty, parameters[1].ParameterValue);
            Assert.Null(parameters[2].ParameterValue);
            Assert.False(parameters[2].IsModifiable);
        }

        [Fact]
        public async Task GroupsCertificatesAndProxiesAreReadByTheirLocationNames()
        {
            var groups = await Answer("DescribeDBClusterParameterGroups",
                "<DBClusterParameterGroups><DBClusterParameterGroup><DBClusterParameterGroupArn>arn:pg</DBClusterParameterGroupArn><Description>d</Description><DBParameterGroupFamily>aurora-mysql8.0</DBParameterGroupFamily><DBClusterParameterGroupName>tls-pg</DBClusterParameterGroupName></DBClusterParameterGroup></DBClusterParameterGroups>",
                c => c.DescribeDBClusterParameterGroupsAsync());
            var g = Assert.Single(groups);
            Assert.Equal(("tls-pg", "aurora-mysql8.0", "d", "arn:pg"), (g.DBClusterParameterGroupName, g.DBParameterGroupFamily, g.Description, g.DBClusterParameterGroupArn));

            var certificates = await Answer("DescribeCertificates",
                "<DefaultCertificateForNewLaunches>rds-ca-rsa2048-g1</DefaultCertificateForNewLaunches><Certificates>" +
                "<Certificate><CertificateIdentifier>rds-ca-rsa2048-g1</CertificateIdentifier><CertificateType>CA</CertificateType><ValidFrom>2021-05-25T22:41:55Z</ValidFrom><ValidTill>2061-05-25T23:41:55Z</ValidTill><Thumbprint>abc</Thumbprint><CustomerOverride>false</CustomerOverride></Certificate>" +
                "<Certificate><CertificateIdentifier>rds-ca-2019</CertificateIdentifier><ValidTill>2024-08-22T17:08:50Z</ValidTill></Certificate></Certificates>",
                c => c.DescribeCertificatesAsync());
            Assert.Equal(2, certificates.Count);
            Assert.True(certificates[0].IsDefaultForNewLaunches);
            Assert.False(certificates[1].IsDefaultForNewLaunches);
            Assert.Equal(new DateTime(2061, 5, 25, 23, 41, 55, DateTimeKind.Utc), certificates[0].ValidTill);

            var proxies = await Answer("DescribeDBProxies",
                "<DBProxies><member><RequireTLS>true</RequireTLS><DBProxyName>p1</DBProxyName><EngineFamily>MYSQL</EngineFamily><Endpoint>p1.proxy-abc.eu-west-1.rds.amazonaws.com</Endpoint><Status>available</Status><Auth><member><AuthScheme>SECRETS</AuthScheme></member></Auth></member></DBProxies>",
                c => c.DescribeDBProxiesAsync());
            var p = Assert.Single(proxies);
            Assert.Equal(("p1", "MYSQL", "p1.proxy-abc.eu-west-1.rds.amazonaws.com", true, "available"), (p.DBProxyName, p.EngineFamily, p.Endpoint, p.RequireTLS, p.Status));
        }

        [Fact]
        public async Task WriteOperationsReturnWhatRdsAnswered()
        {
            Assert.Equal("tls-pg", await Answer("ModifyDBClusterParameterGroup", "<DBClusterParameterGroupName>tls-pg</DBClusterParameterGroupName>",
                c => c.ModifyDBClusterParameterGroupAsync("tls-pg", new[] { new RdsParameter("require_secure_transport", "ON", "immediate") })));
            Assert.Equal("tls-pg", await Answer("ResetDBClusterParameterGroup", "<DBClusterParameterGroupName>tls-pg</DBClusterParameterGroupName>",
                c => c.ResetDBClusterParameterGroupAsync("tls-pg", true)));
            var created = await Answer("CreateDBClusterParameterGroup",
                "<DBClusterParameterGroup><DBClusterParameterGroupName>tls-pg</DBClusterParameterGroupName><DBParameterGroupFamily>aurora-mysql8.0</DBParameterGroupFamily><DBClusterParameterGroupArn>arn:pg</DBClusterParameterGroupArn><Description>d</Description></DBClusterParameterGroup>",
                c => c.CreateDBClusterParameterGroupAsync("tls-pg", "aurora-mysql8.0", "d"));
            Assert.Equal("arn:pg", created.DBClusterParameterGroupArn);
            var cluster = await Answer("ModifyDBCluster", "<DBCluster><DBClusterIdentifier>orders</DBClusterIdentifier><IAMDatabaseAuthenticationEnabled>true</IAMDatabaseAuthenticationEnabled></DBCluster>",
                c => c.ModifyDBClusterAsync("orders", enableIAMDatabaseAuthentication: true, applyImmediately: true));
            Assert.True(cluster.IAMDatabaseAuthenticationEnabled);
            var rebooted = await Answer("RebootDBInstance", "<DBInstance><DBInstanceIdentifier>orders-1</DBInstanceIdentifier><DBInstanceStatus>rebooting</DBInstanceStatus></DBInstance>",
                c => c.RebootDBInstanceAsync("orders-1"));
            Assert.Equal("rebooting", rebooted.DBInstanceStatus);
        }

        [Theory]
        [InlineData(HttpStatusCode.NotFound, "DBClusterNotFoundFault", "DBCluster nope not found.")]
        [InlineData(HttpStatusCode.NotFound, "DBParameterGroupNotFound", "DBClusterParameterGroup not found: x")]
        [InlineData(HttpStatusCode.NotFound, "DBInstanceNotFound", "DBInstance orders-9 not found.")]
        [InlineData(HttpStatusCode.BadRequest, "InvalidDBParameterGroupState", "Default parameter groups cannot be modified.")]
        [InlineData(HttpStatusCode.BadRequest, "InvalidDBClusterStateFault", "Cluster is not available.")]
        public async Task ErrorAnswersBecomeRdsApiExceptionWithWireCode(HttpStatusCode status, string code, string message)
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Error(status, code, message));
            using var client = FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeDBClustersAsync("nope"));
            Assert.Equal(code, e.Code);
            Assert.Equal(message, e.ApiMessage);
            Assert.Equal((int)status, e.HttpStatus);
            Assert.Equal("req-" + code, e.RequestId);
            Assert.Equal("DescribeDBClusters", e.Operation);
            Assert.Equal("Sender", e.ErrorType);
            Assert.Contains(code, e.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task NonXmlErrorBodyStillGivesAUsefulException()
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Xml(HttpStatusCode.Forbidden, "<html><body>Forbidden by proxy</body></html>"));
            using var client = FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeCertificatesAsync());
            Assert.Equal("HttpStatus403", e.Code);
            Assert.Equal(403, e.HttpStatus);
        }
    }
}
