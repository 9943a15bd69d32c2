using System;
using System.IO;
using System.Security;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    /// <summary>Connections to a server that offers no TLS: nothing secret may reach it unless the user chose a mode that allows plaintext.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public class PlaintextServerTests
    {
        private const string Secret = "S3cret-never-in-clear";

        private static SqlConnectionOptions Options(int port, SqlSslMode mode)
        {
            var password = new SecureString();
            foreach (var c in Secret) password.AppendChar(c);
            return new SqlConnectionOptions
            {
                Endpoint = "127.0.0.1",
                Port = port,
                User = "app",
                Password = password,
                SslMode = mode,
                Pooling = false,
                ConnectTimeoutSeconds = 5,
            };
        }

        [Theory]
        [InlineData(SqlSslMode.None)]
        [InlineData(SqlSslMode.Preferred)]
        public async Task IamAuthenticationRefusesAModeThatCanFallBackToPlaintextBeforeConnecting(SqlSslMode mode)
        {
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.PlaintextOnly);
            var tokens = 0;
            var options = Options(server.Port, mode);
            options.Password = null;
            options.PasswordProvider = () => { tokens++; return "rds-db-token-" + Secret; };

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlIamAuthenticationNeedsTls", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains($"-SslMode {mode} can fall back to plaintext", error.Message);
            Assert.Equal(0, tokens);
            Assert.Equal(0, server.Connections);
        }

        [Theory]
        [InlineData(SqlSslMode.Required)]
        [InlineData(SqlSslMode.VerifyCA)]
        [InlineData(SqlSslMode.VerifyFull)]
        public async Task AModeThatInsistsOnTlsSaysTheServerOffersNoneAndSendsNothing(SqlSslMode mode)
        {
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.PlaintextOnly);

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options(server.Port, mode)));

            Assert.Equal("SqlServerOffersNoTls", error.ErrorId);
            Assert.Contains("offers no TLS", error.Message);
            Assert.DoesNotContain("user name and password", error.Message);
            Assert.DoesNotContain("security group", error.Message);
            AssertNoLoginSent(server);
        }

        [Fact]
        public async Task IamAuthenticationOverRequiredSendsNoTokenToAServerWithoutTls()
        {
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.PlaintextOnly);
            var options = Options(server.Port, SqlSslMode.Required);
            options.Password = null;
            options.PasswordProvider = () => "rds-db-token-" + Secret;

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlServerOffersNoTls", error.ErrorId);
            AssertNoLoginSent(server);
            Assert.False(server.ReceivedInPlaintext(Secret));
        }

        // The driver says goodbye (COM_QUIT, the single byte 1) after reading the greeting; nothing else may come.
        private static void AssertNoLoginSent(FakeMySqlServer server) =>
            Assert.All(server.PlaintextPackets, packet => Assert.Equal(new byte[] { 1 }, packet));

        [Theory]
        [InlineData(SqlSslMode.None)]
        [InlineData(SqlSslMode.Preferred)]
        public void APasswordLoginThatMayGoUnencryptedHasAWarningToGiveFirst(SqlSslMode mode)
        {
            var warning = SqlSslModes.PasswordWarning(mode, "orders.cluster-abc.eu-west-1.rds.amazonaws.com", 3306);

            Assert.NotNull(warning);
            Assert.Contains($"SslMode {mode}", warning);
            Assert.Contains("password", warning);
            Assert.Contains("unencrypted", warning);
        }

        [Theory]
        [InlineData(SqlSslMode.Required)]
        [InlineData(SqlSslMode.VerifyCA)]
        [InlineData(SqlSslMode.VerifyFull)]
        public void ModesThatAlwaysEncryptNeedNoWarning(SqlSslMode mode)
        {
            Assert.Null(SqlSslModes.PasswordWarning(mode, "h", 3306));
            Assert.False(SqlSslModes.MayFallBackToPlaintext(mode));
        }

        [Fact]
        public async Task PreferredAgainstAPlaintextOnlyServerFallsBackAsItsWarningSays()
        {
            // The documented cost of Preferred: this is what the warning before connecting is for.
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.PlaintextOnly);

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options(server.Port, SqlSslMode.Preferred)));

            Assert.Equal("SqlAccessDenied", error.ErrorId);
            Assert.Contains("may have been not encrypted (SslMode Preferred)", error.Message);
            Assert.NotEmpty(server.PlaintextPackets);
        }

        [Fact]
        public async Task ADirectoryAsTheCaFileIsNamedAsOne()
        {
            var options = Options(3306, SqlSslMode.VerifyFull);
            options.SslCa = Path.GetTempPath();

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlCaFileIsDirectory", error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("is a directory, not a file", error.Message);
        }
    }
}
