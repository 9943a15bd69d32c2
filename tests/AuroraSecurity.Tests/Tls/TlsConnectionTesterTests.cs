using System.Security;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    internal static class TlsTestRequests
    {
        public static TlsConnectionTestRequest For(SandboxServer sandbox, string? caFile = null, string? serverName = null, SqlSslMode mode = SqlSslMode.VerifyFull, string? endpoint = null)
        {
            var password = new SecureString();
            foreach (var c in sandbox.AdminPassword) password.AppendChar(c);
            return new TlsConnectionTestRequest
            {
                Endpoint = endpoint ?? sandbox.Host,
                Port = sandbox.Port,
                User = sandbox.AdminUser,
                Password = password,
                SslCa = caFile ?? sandbox.CaFile,
                ServerName = serverName,
                SslMode = mode,
                ConnectTimeoutSeconds = 10,
            };
        }
    }

    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public class TlsConnectionTesterTests
    {
        private readonly SandboxServer sandbox;

        public TlsConnectionTesterTests(SandboxFixture fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task AVerifiedLoginReportsWhatTheSessionNegotiatedAndTheCertificate()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox));

            Assert.True(report.Connected, report.Detail);
            Assert.True(report.Verified);
            Assert.Matches("^TLSv1\\.[23]$", report.TlsProtocol);
            Assert.False(string.IsNullOrEmpty(report.Cipher));
            Assert.True(report.ChainValid);
            Assert.True(report.HostnameMatches);
            Assert.Equal(CertificateNameMatch.SAN, report.MatchedBy);
            Assert.Contains("demo-instance-1.abc123.us-east-1.rds.amazonaws.com", report.Subject);
            Assert.Contains("AuroraSecurity Sandbox CA", report.Issuer);
            Assert.InRange(report.DaysUntilExpiry!.Value, 800, 826);
            Assert.Equal(SqlSslMode.VerifyFull, report.SslMode);
            Assert.Equal(sandbox.CaFile, report.CaFile);
            Assert.DoesNotContain("SslMode", report.Warning);
        }

        [Fact]
        public async Task TheSessionsCipherIsTheOneTheServerReportsForIt()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox));
            using var connection = sandbox.OpenAdmin();
            using var command = connection.CreateCommand();
            command.CommandText = "SHOW SESSION STATUS LIKE 'Ssl_version'";
            using var reader = command.ExecuteReader();
            reader.Read();

            Assert.Equal(reader.GetString(1), report.TlsProtocol);
        }

        [Fact]
        public async Task AWrongCaFailsTheChainAndNoLoginIsAttempted()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, caFile: sandbox.WrongCaFile));

            Assert.False(report.Connected);
            Assert.False(report.Verified);
            Assert.False(report.ChainValid);
            Assert.Contains("Chain check failed", report.Detail);
            Assert.NotNull(report.Thumbprint);
            Assert.Null(report.InsecureRefused);
        }

        [Fact]
        public async Task TheClusterEndpointMatchesBySanWhileConnectingByAddress()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, serverName: sandbox.ClusterEndpoint));

            Assert.Equal(sandbox.ClusterEndpoint, report.ServerName);
            Assert.Equal(CertificateNameMatch.SAN, report.MatchedBy);
            Assert.True(report.Connected, report.Detail);
            Assert.True(report.Verified);
        }

        [Fact]
        public async Task ANameInNeitherSanNorCnDoesNotConnectUnderVerifyFull()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, serverName: "other.cluster-xyz.eu-west-1.rds.amazonaws.com"));

            Assert.False(report.HostnameMatches);
            Assert.Equal(CertificateNameMatch.None, report.MatchedBy);
            Assert.False(report.Connected);
            Assert.Contains("Name check failed", report.Detail);
        }

        [Fact]
        public async Task TheInstanceNameInTheCnDoesNotCountWhenTheCertificateHasSan()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, serverName: "demo-instance-1.abc123.us-east-1.rds.amazonaws.com"));

            Assert.Equal(CertificateNameMatch.None, report.MatchedBy);
            Assert.False(report.Connected);
        }

        [Fact]
        public async Task ALowerSslModeConnectsButSaysWhatWasNotChecked()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, caFile: sandbox.WrongCaFile, mode: SqlSslMode.Required));

            Assert.True(report.Connected, report.Detail);
            Assert.False(report.Verified);
            Assert.False(report.ChainValid);
            Assert.NotNull(report.TlsProtocol);
            Assert.Contains("SslMode Required does not verify", report.Warning);
        }

        [Fact]
        public async Task PlaintextAcceptedIsReportedWhenSecureTransportIsOff()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox));

            Assert.False(report.InsecureRefused);
            Assert.Contains("require_secure_transport=ON", report.Warning);
        }
    }

    [Trait(Needs.Key, Needs.MariaDb)]

    public class TlsConnectionTesterNoSanTests : IClassFixture<NoSanSandbox>
    {
        private readonly SandboxServer sandbox;

        public TlsConnectionTesterNoSanTests(NoSanSandbox fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task ACertificateWithoutSanMatchesLocalhostByCn()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox, serverName: "localhost"));

            Assert.Empty(report.SubjectAlternativeNames);
            Assert.Equal(CertificateNameMatch.CN, report.MatchedBy);
            Assert.True(report.Connected, report.Detail);
            Assert.True(report.Verified);
        }

        [Fact]
        public async Task AnAddressIsNotMatchedByTheCn()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox));

            Assert.Equal(CertificateNameMatch.None, report.MatchedBy);
            Assert.False(report.Connected);
        }

        [Fact]
        public async Task TheDialledAddressFailsTheNameCheckUnderVerifyFullButPassesVerifyCa()
        {
            var options = new SqlConnectionOptions
            {
                Endpoint = sandbox.Host,
                Port = sandbox.Port,
                User = sandbox.AdminUser,
                Password = TlsTestRequests.For(sandbox).Password,
                SslCa = sandbox.CaFile,
                Pooling = false,
            };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));
            Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
            Assert.Contains("failed the name check", error.Message);

            options.SslMode = SqlSslMode.VerifyCA;
            using var session = await AuroraConnectionFactory.OpenAsync(options);
            Assert.True(session.Encrypted);
        }
    }

    [Trait(Needs.Key, Needs.MariaDb)]

    public class TlsConnectionTesterSecureTransportTests : IClassFixture<SecureTransportSandbox>
    {
        private readonly SandboxServer sandbox;

        public TlsConnectionTesterSecureTransportTests(SecureTransportSandbox fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task PlaintextIsRefusedWhenSecureTransportIsRequired()
        {
            var report = await TlsConnectionTester.TestAsync(TlsTestRequests.For(sandbox));

            Assert.True(report.Connected, report.Detail);
            Assert.True(report.InsecureRefused);
            Assert.Equal(string.Empty, report.Warning);
        }

        [Fact]
        public async Task ConnectingWithoutTlsExplainsHowToConnectWithIt()
        {
            var options = new SqlConnectionOptions
            {
                Endpoint = sandbox.Host,
                Port = sandbox.Port,
                User = sandbox.AdminUser,
                Password = TlsTestRequests.For(sandbox).Password,
                SslMode = SqlSslMode.None,
                Pooling = false,
            };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlAccessDenied", error.ErrorId);
            Assert.Contains("-SslMode VerifyFull -SslCa", error.Message);
        }
    }
}
