using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Guide;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Guide
{
    /// <summary>The connection guide: what each client is told, SAN routing, CA bundles per partition, IAM, no secrets; and what it reads from the RDS double.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class ConnectionGuideTests
    {
        private static ConnectionFacts Orders() => new ConnectionFacts
        {
            ClusterIdentifier = "orders",
            Region = "eu-west-1",
            Endpoint = "orders.cluster-abc123.eu-west-1.rds.amazonaws.com",
            Port = 3306,
            WriterInstance = "orders-1",
            WriterEndpoint = "orders-1.abc123.eu-west-1.rds.amazonaws.com",
            RequireSecureTransport = true,
            TlsProtocols = new[] { "TLSv1.2" },
            SslCipher = new[] { "ECDHE-RSA-AES256-GCM-SHA384" },
            InstanceCas = new[] { "rds-ca-rsa2048-g1" },
            IamDatabaseAuthenticationEnabled = true,
        };

        private static ClientConnectionGuide One(IReadOnlyList<ClientConnectionGuide> guides, string client) => guides.Single(g => g.Client == client);

        [Fact]
        public void EveryClientVerifiesIdentityWithTheirOwnSwitches()
        {
            var guides = ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions { DbUser = "app", SslCa = "/etc/rds/global-bundle.pem" });

            Assert.Equal(ConnectionGuideWriter.Clients, guides.Select(g => g.Client));
            Assert.Equal("mysql --host=orders.cluster-abc123.eu-west-1.rds.amazonaws.com --port=3306 --user=app -p --ssl-mode=VERIFY_IDENTITY --ssl-ca=/etc/rds/global-bundle.pem",
                One(guides, "mysql").Connection);
            Assert.Equal("mariadb --host=orders.cluster-abc123.eu-west-1.rds.amazonaws.com --port=3306 --user=app -p --ssl --ssl-verify-server-cert --ssl-ca=/etc/rds/global-bundle.pem",
                One(guides, "mariadb").Connection);
            Assert.Equal("Server=orders.cluster-abc123.eu-west-1.rds.amazonaws.com;Port=3306;User ID=app;SslMode=VerifyFull;SslCa=/etc/rds/global-bundle.pem",
                One(guides, "MySqlConnector").Connection);
            Assert.Equal("jdbc:aws-wrapper:mysql://orders.cluster-abc123.eu-west-1.rds.amazonaws.com:3306/?sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=file:/etc/rds/global-bundle.p12&trustCertificateKeyStoreType=PKCS12",
                One(guides, "ConnectorJ").Connection);
            Assert.Contains("ssl_verify_identity=True", One(guides, "mysql-connector-python").Connection);
            Assert.Contains("ssl_ca='/etc/rds/global-bundle.pem'", One(guides, "PyMySQL").Connection);
            Assert.Contains("password=getpass.getpass()", One(guides, "PyMySQL").Connection);
            Assert.Equal("$session = Connect-AuroraMySql -Endpoint orders.cluster-abc123.eu-west-1.rds.amazonaws.com -Port 3306 -SqlCredential (Get-Credential app) -SslCa /etc/rds/global-bundle.pem",
                One(guides, "Connect-AuroraMySql").Connection);
            Assert.All(guides, g => Assert.Null(g.TokenStep));
        }

        [Fact]
        public void ClientsThatCheckOnlyTheCommonNameGetTheWriterInstanceWithTheGuidesReason()
        {
            var guides = ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions());
            var old = One(guides, "mysql-5.6");
            Assert.False(old.ChecksSubjectAlternativeNames);
            Assert.Equal("WriterInstance", old.EndpointKind);
            Assert.Equal("orders-1.abc123.eu-west-1.rds.amazonaws.com", old.Endpoint);
            Assert.Contains("--host=orders-1.abc123.eu-west-1.rds.amazonaws.com", old.Connection);
            Assert.Contains("--ssl-verify-server-cert", old.Connection);
            Assert.Contains(old.Notes, n => n.Contains("Subject Alternative Names") && n.Contains("writer instance") && n.Contains("failover"));
            Assert.All(guides.Where(g => g.ChecksSubjectAlternativeNames), g => Assert.Equal("Cluster", g.EndpointKind));
        }

        [Fact]
        public void OfflineWithoutAWriterKeepsTheEndpointAndSaysWhatIsUnknown()
        {
            var facts = new ConnectionFacts { Endpoint = "db.example.internal", Port = 3307 };
            var guides = ConnectionGuideWriter.Write(facts, new ConnectionGuideOptions { Clients = new[] { "mysql-5.6", "mariadb" } });
            Assert.Equal(new[] { "mariadb", "mysql-5.6" }, guides.Select(g => g.Client));
            Assert.All(guides, g => Assert.Equal("Given", g.EndpointKind));
            Assert.All(guides, g => Assert.Null(g.RequireSecureTransport));
            Assert.Contains(One(guides, "mysql-5.6").Notes, n => n.Contains("-WriterEndpoint"));
            Assert.Contains(One(guides, "mariadb").Notes, n => n.Contains("posture is unknown"));
            Assert.Contains("'--user=<user>'", One(guides, "mariadb").Connection);
            Assert.Contains("--port=3307", One(guides, "mariadb").Connection);
        }

        [Fact]
        public void UnknownClientIsAClearError()
        {
            var e = Assert.Throws<AuroraSecurityException>(() => ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions { Clients = new[] { "psql" } }));
            Assert.Contains("mariadb", e.Message);
            Assert.Equal(FailureKind.InvalidArgument, e.Kind);
        }

        [Fact]
        public void IamAddsTheTokenStepAndEachClientsCleartextSetting()
        {
            var guides = ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions { DbUser = "app_iam", IamAuthentication = true });
            var mysql = One(guides, "mysql");
            Assert.Equal("TOKEN=\"$(aws rds generate-db-auth-token --hostname orders.cluster-abc123.eu-west-1.rds.amazonaws.com --port 3306 --region eu-west-1 --username app_iam)\"", mysql.TokenStep);
            Assert.Contains("--password=\"$TOKEN\" --enable-cleartext-plugin --ssl-mode=VERIFY_IDENTITY", mysql.Connection);
            Assert.Contains("--password=\"$TOKEN\"", One(guides, "mariadb").Connection);
            Assert.Contains(One(guides, "mariadb").Notes, n => n.Contains("no switch"));
            Assert.Contains("auth_plugin='mysql_clear_password'", One(guides, "mysql-connector-python").Connection);
            Assert.Contains("generate_db_auth_token", One(guides, "PyMySQL").TokenStep);
            Assert.Contains("wrapperPlugins=iam&iamRegion=eu-west-1", One(guides, "ConnectorJ").Connection);
            Assert.Contains("-IamAuthentication -DbUser app_iam -Region eu-west-1", One(guides, "Connect-AuroraMySql").Connection);
            Assert.All(guides, g => Assert.Contains(g.Notes, n => n.Contains("TLS verification is mandatory")));
            Assert.All(guides.Where(g => g.Kind == "CommandLine"), g => Assert.DoesNotContain(" -p ", g.Connection + " "));
        }

        [Fact]
        public void IamOnAClusterWithoutItSaysSo()
        {
            var facts = Orders();
            facts.IamDatabaseAuthenticationEnabled = false;
            var guide = ConnectionGuideWriter.Write(facts, new ConnectionGuideOptions { DbUser = "u", IamAuthentication = true, Clients = new[] { "mysql" } }).Single();
            Assert.Contains(guide.Notes, n => n.Contains("Enable-AuroraIamAuthentication"));
        }

        [Fact]
        public void PostureIsSpelledOutForTheClient()
        {
            var guide = ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions { Clients = new[] { "mysql" } }).Single();
            Assert.Contains(guide.Notes, n => n.Contains("refuses plaintext") && n.Contains("3159"));
            Assert.Contains(guide.Notes, n => n.Contains("accepts TLSv1.2"));
            Assert.Contains(guide.Notes, n => n.Contains("ECDHE-RSA-AES256-GCM-SHA384"));
            Assert.Contains(guide.Notes, n => n.Contains("rds-ca-rsa2048-g1"));

            var open = Orders();
            open.RequireSecureTransport = false;
            open.SslCipher = new string[0];
            var openGuide = ConnectionGuideWriter.Write(open, new ConnectionGuideOptions { Clients = new[] { "mysql" } }).Single();
            Assert.Contains(openGuide.Notes, n => n.Contains("also accepts plaintext") && n.Contains("Enable-AuroraSecureTransport"));
            Assert.Contains(openGuide.Notes, n => n.Contains("engine default"));
        }

        [Theory]
        [InlineData("eu-west-1", "aws", "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem", "global-bundle.pem")]
        [InlineData("us-gov-west-1", "aws-us-gov", "https://truststore.pki.us-gov-west-1.rds.amazonaws.com/global/global-bundle.pem", "global-bundle.pem")]
        [InlineData("us-gov-east-1", "aws-us-gov", "https://truststore.pki.us-gov-west-1.rds.amazonaws.com/global/global-bundle.pem", "global-bundle.pem")]
        [InlineData("cn-north-1", "aws-cn", "https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/cn-north-1/cn-north-1-bundle.pem", "cn-north-1-bundle.pem")]
        [InlineData("cn-northwest-1", "aws-cn", "https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/cn-northwest-1/cn-northwest-1-bundle.pem", "cn-northwest-1-bundle.pem")]
        [InlineData(null, "aws", "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem", "global-bundle.pem")]
        public void CaBundleFollowsThePartition(string? region, string partition, string url, string file)
        {
            var bundle = CaBundle.For(region);
            Assert.Equal(partition, bundle.Partition);
            Assert.Equal(url, bundle.Url);
            Assert.Equal(file, bundle.FileName);

            var facts = Orders();
            facts.Region = region;
            var guide = ConnectionGuideWriter.Write(facts, new ConnectionGuideOptions { Clients = new[] { "mariadb" } }).Single();
            Assert.Equal(url, guide.CaBundleUrl);
            Assert.Contains("--ssl-ca=" + file, guide.Connection);
        }

        [Fact]
        public void ValuesAreQuotedForTheShellAndNeverCarryAPassword()
        {
            var facts = Orders();
            var guides = ConnectionGuideWriter.Write(facts, new ConnectionGuideOptions { DbUser = "o'brien", SslCa = "/my certs/bundle.pem", Database = "sales;x" });
            Assert.Contains("'--user=o'\"'\"'brien'", One(guides, "mysql").Connection);
            Assert.Contains("'--ssl-ca=/my certs/bundle.pem'", One(guides, "mysql").Connection);
            Assert.Contains("Database=\"sales;x\"", One(guides, "MySqlConnector").Connection);
            Assert.Contains("user='o\\'brien'", One(guides, "PyMySQL").Connection);
            Assert.All(guides, g => Assert.DoesNotContain("Password=", g.Connection));
        }

        [Fact]
        public void ConnectionStringRoundTripsThroughTheParserAndAPasswordIsRefused()
        {
            var guide = ConnectionGuideWriter.Write(Orders(), new ConnectionGuideOptions { DbUser = "app", SslCa = "/ca.pem", Database = "sales", Clients = new[] { "MySqlConnector" } }).Single();
            var options = SqlConnectionString.Parse(guide.Connection);
            Assert.Equal("orders.cluster-abc123.eu-west-1.rds.amazonaws.com", options.Endpoint);
            Assert.Equal(3306, options.Port);
            Assert.Equal("app", options.User);
            Assert.Equal(SqlSslMode.VerifyFull, options.SslMode);
            Assert.Equal("/ca.pem", options.SslCa);
            Assert.Equal("sales", options.Database);

            Assert.Equal(SqlSslMode.VerifyFull, SqlConnectionString.Parse("Server=h").SslMode);
            var e = Assert.Throws<AuroraSecurityException>(() => SqlConnectionString.Parse("Server=h;Password=hunter2"));
            Assert.DoesNotContain("hunter2", e.Message);
            Assert.Throws<AuroraSecurityException>(() => SqlConnectionString.Parse("Server=h;AllowLoadLocalInfile=true"));
        }

        [Trait(Needs.Key, Needs.RdsDouble)]
        [Fact]
        public async Task ReaderTakesEndpointsWriterPostureAndCaFromRds()
        {
            await using var d = await DoubleClient.StartAsync();
            var reader = new ConnectionGuideReader(d.Client, DoubleClient.Region, () => new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc));
            var outcomes = await reader.ReadAsync(new[] { "analytics", "legacy", "nosuch" }, CancellationToken.None);

            var analytics = outcomes[0].Value!;
            Assert.Equal("analytics.cluster-abc123xyz.us-east-1.rds.amazonaws.com", analytics.Endpoint);
            Assert.Equal("analytics-1", analytics.WriterInstance);
            Assert.Equal("analytics-1.abc123xyz.us-east-1.rds.amazonaws.com", analytics.WriterEndpoint);
            Assert.Equal("us-east-1", analytics.Region);
            Assert.True(analytics.RequireSecureTransport);
            Assert.Equal(new[] { "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384" }, analytics.SslCipher);
            Assert.Equal(new[] { "rds-ca-rsa2048-g1" }, analytics.InstanceCas);
            Assert.Equal("Pass", analytics.CaCheckStatus);
            Assert.True(analytics.IamDatabaseAuthenticationEnabled);

            var legacy = outcomes[1].Value!;
            Assert.False(legacy.RequireSecureTransport);
            Assert.Equal(new[] { "rds-ca-2019" }, legacy.InstanceCas);
            Assert.Equal("Fail", legacy.CaCheckStatus);
            Assert.Contains("TLSv1", legacy.TlsProtocols!);

            Assert.False(outcomes[2].Succeeded);
            Assert.Equal(FailureKind.NotFound, outcomes[2].Error!.Kind);
        }
    }
}
