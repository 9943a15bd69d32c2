using System.Security;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public class ConnectTlsTests
    {
        private readonly SandboxServer sandbox;

        public ConnectTlsTests(SandboxFixture fixture) => sandbox = fixture.Server;

        private SqlConnectionOptions Options(string? caFile = null)
        {
            var password = new SecureString();
            foreach (var c in sandbox.AdminPassword) password.AppendChar(c);
            return new SqlConnectionOptions
            {
                Endpoint = sandbox.Host,
                Port = sandbox.Port,
                User = sandbox.AdminUser,
                Password = password,
                SslCa = caFile ?? sandbox.CaFile,
                Pooling = false,
                ConnectTimeoutSeconds = 10,
            };
        }

        [Fact]
        public async Task AnUnmappableCipherIsRefusedBeforeConnecting()
        {
            var options = Options();
            // Validation fails before any connection is made: the error kind says so.
            options.TlsCipherSuites = new[] { "ECDHE-RSA-AES256-GCM-SHA384", "RC4-MD5" };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("TlsCipherUnknown", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("'RC4-MD5'", error.Message);
            Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", error.Message);
        }

        [Fact]
        public async Task APerConnectionPasswordIsNeverSentWithoutTls()
        {
            var options = Options();
            options.PasswordProvider = () => throw new System.InvalidOperationException("no token may be made for a plaintext connection");
            options.SslMode = SqlSslMode.None;

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlIamAuthenticationNeedsTls", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public async Task APerConnectionPasswordIsAskedForEachPhysicalConnectionOverTls()
        {
            var calls = 0;
            var options = Options();
            options.Password = null;
            options.PasswordProvider = () => { calls++; return sandbox.AdminPassword; };

            using (var first = await AuroraConnectionFactory.OpenAsync(options)) Assert.True(first.Encrypted);
            using (var second = await AuroraConnectionFactory.OpenAsync(options)) Assert.True(second.Encrypted);

            Assert.Equal(2, calls);
        }

        [Fact]
        public async Task AnIanaLookingNameThePlatformDoesNotKnowIsRefusedToo()
        {
            var options = Options();
            options.TlsCipherSuites = new[] { "TLS_MADE_UP_WITH_NOTHING" };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("TlsCipherUnknown", error.ErrorId);
        }

        [Fact]
        public async Task OpenSslNamesAreMappedAndTheSessionUsesThatCipher()
        {
            var options = Options();
            options.TlsVersions = new[] { "TLSv1.2" };
            options.TlsCipherSuites = new[] { "ECDHE-RSA-AES128-GCM-SHA256" };

            using var session = await AuroraConnectionFactory.OpenAsync(options);

            Assert.Equal("TLSv1.2", session.TlsProtocol);
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", session.TlsCipher);
        }

        [Fact]
        public async Task AWrongCaNamesTheChainCheckAndTheCaFile()
        {
            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options(sandbox.WrongCaFile)));

            Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
            Assert.Contains("failed the chain check", error.Message);
            Assert.Contains(sandbox.WrongCaFile, error.Message);
            Assert.Contains("AuroraSecurity Sandbox CA", error.Message);
        }

        [Fact]
        public async Task ACaFileReplacedBetweenConnectionsIsReadAgain()
        {
            var caFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"aurora-ca-{System.Guid.NewGuid():N}.pem");
            try
            {
                System.IO.File.Copy(sandbox.CaFile, caFile);
                using (var session = await AuroraConnectionFactory.OpenAsync(Options(caFile)))
                {
                    Assert.True(session.Encrypted);
                }

                System.IO.File.Copy(sandbox.WrongCaFile, caFile, overwrite: true);
                var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options(caFile)));
                Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
                Assert.Contains("failed the chain check", error.Message);

                System.IO.File.Copy(sandbox.CaFile, caFile, overwrite: true);
                using (var session = await AuroraConnectionFactory.OpenAsync(Options(caFile)))
                {
                    Assert.True(session.Encrypted);
                }
            }
            finally
            {
                System.IO.File.Delete(caFile);
            }
        }

        [Fact]
        public async Task AServerNameOutsideTheCertificateNamesTheNameCheck()
        {
            var options = Options();
            options.TlsServerName = "other.cluster-xyz.eu-west-1.rds.amazonaws.com";

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
            Assert.Contains("failed the name check", error.Message);
            Assert.Contains("DNS:" + sandbox.ClusterEndpoint, error.Message);
        }

        [Fact]
        public async Task TheClusterNameVerifiesThroughTheSanWhileDiallingTheAddress()
        {
            var options = Options();
            options.TlsServerName = sandbox.ClusterEndpoint;

            using var session = await AuroraConnectionFactory.OpenAsync(options);

            Assert.True(session.Encrypted);
        }

        [Fact]
        public async Task AProtocolTheServerRefusesNamesTheProtocolCheck()
        {
            var options = Options();
            options.TlsVersions = new[] { "TLSv1.1" };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
            Assert.Contains("protocol/cipher check", error.Message);
            Assert.DoesNotContain(sandbox.AdminPassword, error.Message);
        }
    }

    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(RestrictedCipherCollection.Name)]
    public class ConnectTlsCipherMismatchTests
    {
        private readonly SandboxServer sandbox;

        public ConnectTlsCipherMismatchTests(RestrictedCipherSandbox fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task ACipherTheServerRefusesNamesTheCipherCheck()
        {
            var password = new SecureString();
            foreach (var c in sandbox.AdminPassword) password.AppendChar(c);
            var options = new SqlConnectionOptions
            {
                Endpoint = sandbox.Host,
                Port = sandbox.Port,
                User = sandbox.AdminUser,
                Password = password,
                SslCa = sandbox.CaFile,
                Pooling = false,
                TlsCipherSuites = new[] { "ECDHE-RSA-AES128-GCM-SHA256" },
            };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlTlsVerificationFailed", error.ErrorId);
            Assert.Contains("protocol/cipher check", error.Message);
            Assert.Contains("ECDHE-RSA-AES128-GCM-SHA256", error.Message);
        }
    }
}
