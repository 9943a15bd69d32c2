using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>Read operations of the double, driven by the aws CLI as an independent client.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliReadConformanceTests : IClassFixture<DoubleFixture>
    {
        private readonly RdsDoubleServer _server;

        public AwsCliReadConformanceTests(DoubleFixture fixture) => _server = fixture.Server;

        [Fact]
        public async Task DescribeDBClustersEngineFilterReturnsOnlyAuroraMySqlWithRealShapes()
        {
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--filters", "Name=engine,Values=aurora-mysql")).Json;
            var clusters = json.Items("DBClusters").ToList();
            Assert.Equal(new[] { "analytics", "billing", "inventory", "legacy", "orders" }, clusters.Select(c => c.Str("DBClusterIdentifier")).ToArray());
            Assert.All(clusters, c => Assert.Equal("aurora-mysql", c.Str("Engine")));

            JsonElement orders = clusters.Single(c => c.Str("DBClusterIdentifier") == "orders");
            Assert.Equal("5.7.mysql_aurora.2.11.2", orders.Str("EngineVersion"));
            Assert.Equal("orders.cluster-abc123xyz.us-east-1.rds.amazonaws.com", orders.Str("Endpoint"));
            Assert.Equal("arn:aws:rds:us-east-1:123456789012:cluster:orders", orders.Str("DBClusterArn"));
            Assert.Equal("admin", orders.Str("MasterUsername"));
            Assert.True(orders.GetProperty("IAMDatabaseAuthenticationEnabled").GetBoolean());
            Assert.True(orders.GetProperty("StorageEncrypted").GetBoolean());
            Assert.Equal(3306, orders.GetProperty("Port").GetInt32());
            var members = orders.Items("DBClusterMembers").ToList();
            Assert.Equal(2, members.Count);
            Assert.Equal("in-sync", members[0].Str("DBClusterParameterGroupStatus"));
            Assert.Single(members, m => m.GetProperty("IsClusterWriter").GetBoolean());
            Assert.Equal("shared-aurora-mysql57", orders.Str("DBClusterParameterGroup"));

            JsonElement all = (await AwsCli.RunAsync(_server, "describe-db-clusters")).Json;
            var engines = all.Items("DBClusters").Select(c => c.Str("Engine")).ToList();
            Assert.Contains("neptune", engines);
            Assert.Contains("aurora-postgresql", engines);
        }

        [Fact]
        public async Task DescribeDBClustersByIdentifierAndIdFilterAndErrors()
        {
            JsonElement one = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "legacy")).Json;
            Assert.Equal("5.7.mysql_aurora.2.10.1", one.Items("DBClusters").Single().Str("EngineVersion"));

            JsonElement filtered = (await AwsCli.RunAsync(_server, "describe-db-clusters", "--filters",
                "Name=db-cluster-id,Values=inventory,arn:aws:rds:us-east-1:123456789012:cluster:analytics")).Json;
            Assert.Equal(new[] { "analytics", "inventory" }, filtered.Items("DBClusters").Select(c => c.Str("DBClusterIdentifier")).ToArray());

            (await AwsCli.RunAsync(_server, "describe-db-clusters", "--db-cluster-identifier", "nope")).AssertError("DBClusterNotFoundFault");
            (await AwsCli.RunAsync(_server, "describe-db-clusters", "--max-records", "10")).AssertError("InvalidParameterValue");
        }

        [Fact]
        public async Task DescribeDBInstancesClusterFilterEndpointsAndCertificates()
        {
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-db-instances", "--filters", "Name=db-cluster-id,Values=legacy")).Json;
            var instances = json.Items("DBInstances").ToList();
            Assert.Equal(new[] { "legacy-1", "legacy-2" }, instances.Select(i => i.Str("DBInstanceIdentifier")).ToArray());
            JsonElement first = instances[0];
            Assert.Equal("legacy-1.abc123xyz.us-east-1.rds.amazonaws.com", first.GetProperty("Endpoint").Str("Address"));
            Assert.Equal("rds-ca-2019", first.Str("CACertificateIdentifier"));
            Assert.Equal("rds-ca-2019", first.GetProperty("CertificateDetails").Str("CAIdentifier"));
            Assert.StartsWith("2024-08-22", first.GetProperty("CertificateDetails").Str("ValidTill"));
            Assert.Equal("default.aurora-mysql5.7", first.Items("DBParameterGroups").Single().Str("DBParameterGroupName"));

            JsonElement engine = (await AwsCli.RunAsync(_server, "describe-db-instances", "--filters", "Name=engine,Values=neptune")).Json;
            Assert.Equal(new[] { "graph-1", "graph-2" }, engine.Items("DBInstances").Select(i => i.Str("DBInstanceIdentifier")).ToArray());
        }

        [Fact]
        public async Task DescribeDBClusterParameterGroupsNameAndNotFound()
        {
            JsonElement one = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameter-groups", "--db-cluster-parameter-group-name", "secure-aurora-mysql80")).Json;
            JsonElement g = one.Items("DBClusterParameterGroups").Single();
            Assert.Equal("aurora-mysql8.0", g.Str("DBParameterGroupFamily"));
            Assert.Equal("arn:aws:rds:us-east-1:123456789012:cluster-pg:secure-aurora-mysql80", g.Str("DBClusterParameterGroupArn"));

            (await AwsCli.RunAsync(_server, "describe-db-cluster-parameter-groups", "--db-cluster-parameter-group-name", "missing-group"))
                .AssertError("DBParameterGroupNotFound");
            (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters", "--db-cluster-parameter-group-name", "missing-group"))
                .AssertError("DBParameterGroupNotFound");
        }

    }

    /// <summary>Parameter listings and paging of the double, driven by the aws CLI.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class AwsCliParameterConformanceTests : IClassFixture<DoubleFixture>
    {
        private readonly RdsDoubleServer _server;

        public AwsCliParameterConformanceTests(DoubleFixture fixture) => _server = fixture.Server;

        [Fact]
        public async Task DescribeDBClusterParametersPagesAcrossMarkers()
        {
            int expected = ParameterCatalog.For("aurora-mysql5.7")!.Count;
            Assert.True(expected > 100, "the catalogue must be large enough to page at the default MaxRecords");

            // The whole list through 20-record pages: the CLI must follow every Marker.
            _server.ClearRequests();
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters",
                "--db-cluster-parameter-group-name", "legacy-aurora-mysql57", "--page-size", "20")).Json;
            var parameters = json.GetProperty("Parameters");
            Assert.Equal(expected, parameters.GetArrayLength());
            Assert.Equal(expected, parameters.EnumerateArray().Select(p => p.Str("ParameterName")).Distinct().Count());
            var calls = _server.Requests.Where(r => r.Action == "DescribeDBClusterParameters").ToList();
            Assert.Equal((expected + 19) / 20, calls.Count);
            Assert.All(calls, c => Assert.Equal("20", c.Parameters["MaxRecords"]));
            Assert.All(calls.Skip(1), c => Assert.False(string.IsNullOrEmpty(c.Parameters["Marker"])));

            // Client-side truncation: --max-items stops early and hands back a NextToken.
            JsonElement part = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters",
                "--db-cluster-parameter-group-name", "legacy-aurora-mysql57", "--page-size", "20", "--max-items", "30")).Json;
            Assert.Equal(30, part.GetProperty("Parameters").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(part.Str("NextToken")));

            JsonElement legacy = parameters;
            Assert.Equal("user", legacy.ByName("ssl_cipher").Str("Source"));
            Assert.Equal("DHE-RSA-AES128-SHA,DHE-RSA-AES256-SHA,ECDHE-RSA-AES128-SHA,ECDHE-RSA-AES256-GCM-SHA384", legacy.ByName("ssl_cipher").Str("ParameterValue"));
        }

        [Fact]
        public async Task DescribeDBClusterParametersSourceFilter()
        {
            JsonElement user = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters",
                "--db-cluster-parameter-group-name", "secure-aurora-mysql80", "--source", "user")).Json;
            var names = user.Items("Parameters").Select(p => p.Str("ParameterName")).ToArray();
            Assert.Equal(new[] { "require_secure_transport", "server_audit_events", "server_audit_logging", "ssl_cipher" }, names);
            Assert.Equal("ON", user.GetProperty("Parameters").ByName("require_secure_transport").Str("ParameterValue"));

            JsonElement system = (await AwsCli.RunAsync(_server, "describe-db-cluster-parameters",
                "--db-cluster-parameter-group-name", "default.aurora-mysql8.0", "--source", "system")).Json;
            Assert.All(system.Items("Parameters"), p => Assert.Equal("system", p.Str("Source")));
            Assert.Contains(system.Items("Parameters"), p => p.Str("ParameterName") == "ssl_cipher");
        }

        [Fact]
        public async Task DescribeEngineDefaultClusterParametersMetadataAndPaging()
        {
            int expected = ParameterCatalog.For("aurora-mysql5.7")!.Count;
            _server.ClearRequests();
            JsonElement json = (await AwsCli.RunAsync(_server, "describe-engine-default-cluster-parameters",
                "--db-parameter-group-family", "aurora-mysql5.7", "--page-size", "50")).Json;
            JsonElement parameters = json.GetProperty("EngineDefaults").GetProperty("Parameters");
            Assert.Equal(expected, parameters.GetArrayLength());
            var calls = _server.Requests.Where(r => r.Action == "DescribeEngineDefaultClusterParameters").ToList();
            Assert.Equal((expected + 49) / 50, calls.Count);
            Assert.True(calls.Skip(1).All(c => c.Parameters.ContainsKey("Marker")), "later pages must carry the EngineDefaults.Marker");

            JsonElement cipher = parameters.ByName("ssl_cipher");
            Assert.Equal(ParameterCatalog.SslCiphers, cipher.Str("ParameterValue"));
            Assert.Equal(ParameterCatalog.SslCiphers, cipher.Str("AllowedValues"));
            Assert.Equal(12, cipher.Str("AllowedValues").Split(',').Length);
            Assert.Equal("system", cipher.Str("Source"));
            Assert.Equal("static", cipher.Str("ApplyType"));
            Assert.Equal("list", cipher.Str("DataType"));
            Assert.True(cipher.GetProperty("IsModifiable").GetBoolean());
            Assert.Equal("provisioned", cipher.Items("SupportedEngineModes").Single().GetString());

            JsonElement tls = parameters.ByName("tls_version");
            Assert.Equal("TLSv1,TLSv1.1,TLSv1.2", tls.Str("AllowedValues"));
            Assert.Equal("static", tls.Str("ApplyType"));
            Assert.Equal("list", tls.Str("DataType"));

            JsonElement rst = parameters.ByName("require_secure_transport");
            Assert.Equal("dynamic", rst.Str("ApplyType"));
            Assert.Equal("boolean", rst.Str("DataType"));
            Assert.Equal("0,1", rst.Str("AllowedValues"));

            JsonElement part = (await AwsCli.RunAsync(_server, "describe-engine-default-cluster-parameters",
                "--db-parameter-group-family", "aurora-mysql8.0", "--page-size", "20", "--max-items", "25")).Json;
            Assert.Equal(25, part.GetProperty("EngineDefaults").GetProperty("Parameters").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(part.Str("NextToken")));

            // One raw page (no client-side paging): the default 100 records and the paging token inside EngineDefaults.
            JsonElement v3 = (await AwsCli.RunAsync(_server, "describe-engine-default-cluster-parameters",
                "--db-parameter-group-family", "aurora-mysql8.0", "--no-paginate")).Json;
            JsonElement v3Defaults = v3.GetProperty("EngineDefaults");
            Assert.Equal("aurora-mysql8.0", v3Defaults.Str("DBParameterGroupFamily"));
            Assert.Equal(100, v3Defaults.GetProperty("Parameters").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(v3Defaults.Str("Marker")));
            var v3Names = ParameterCatalog.For("aurora-mysql8.0")!.Select(p => p.Name).ToList();
            Assert.DoesNotContain("tls_version", v3Names);
            Assert.Contains("ssl_cipher", v3Names);
            Assert.Contains("require_secure_transport", v3Names);
        }

        [Fact]
        public async Task DescribeCertificatesAndProxies()
        {
            JsonElement certs = (await AwsCli.RunAsync(_server, "describe-certificates")).Json;
            Assert.Equal("rds-ca-rsa2048-g1", certs.Str("DefaultCertificateForNewLaunches"));
            var ids = certs.Items("Certificates").Select(c => c.Str("CertificateIdentifier")).ToList();
            Assert.Contains("rds-ca-rsa2048-g1", ids);
            Assert.Contains("rds-ca-rsa4096-g1", ids);
            Assert.Contains("rds-ca-ecc384-g1", ids);
            Assert.StartsWith("2061-05-25", certs.Items("Certificates").Single(c => c.Str("CertificateIdentifier") == "rds-ca-rsa2048-g1").Str("ValidTill"));
            (await AwsCli.RunAsync(_server, "describe-certificates", "--certificate-identifier", "rds-ca-nope")).AssertError("CertificateNotFound");

            JsonElement proxies = (await AwsCli.RunAsync(_server, "describe-db-proxies")).Json;
            Assert.Equal(new[] { "analytics-proxy", "billing-proxy", "orders-proxy" }, proxies.Items("DBProxies").Select(p => p.Str("DBProxyName")).ToArray());
            JsonElement proxy = proxies.Items("DBProxies").Single(p => p.Str("DBProxyName") == "orders-proxy");
            Assert.True(proxy.GetProperty("RequireTLS").GetBoolean());
            Assert.Equal("MYSQL", proxy.Str("EngineFamily"));
            Assert.Equal("REQUIRED", proxy.Items("Auth").Single().Str("IAMAuth"));
            Assert.Single(proxy.Items("VpcSecurityGroupIds"));
            (await AwsCli.RunAsync(_server, "describe-db-proxies", "--db-proxy-name", "nope")).AssertError("DBProxyNotFoundFault");
        }
    }
}
