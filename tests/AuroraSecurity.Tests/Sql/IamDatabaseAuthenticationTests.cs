using System;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public class IamDatabaseAuthenticationTests
    {
        private static readonly AwsCredentialSet Keys = new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        private readonly SandboxServer sandbox;

        public IamDatabaseAuthenticationTests(SandboxFixture fixture) => sandbox = fixture.Server;

        [Fact]
        public void EachPhysicalConnectionGetsAFreshTokenForTheEndpointAndUser()
        {
            var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            var options = new SqlConnectionOptions { Endpoint = "orders.cluster-abc123.eu-west-1.rds.amazonaws.com", Port = 3306 };

            IamDatabaseAuthentication.Apply(options, new StaticCredentialSource(Keys), "eu-west-1", "app_iam", () => now);
            var first = options.PasswordProvider!();
            now = now.AddMinutes(5);
            var second = options.PasswordProvider!();

            Assert.Equal("app_iam", options.User);
            Assert.Null(options.Password);
            Assert.Equal(SqlSslMode.VerifyFull, options.SslMode);
            Assert.Equal(RdsAuthTokenGenerator.Generate(Keys, "eu-west-1", options.Endpoint, 3306, "app_iam", now.AddMinutes(-5)), first);
            Assert.StartsWith("orders.cluster-abc123.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=app_iam&", first);
            Assert.NotEqual(first, second);
            Assert.Contains("X-Amz-Date=20260102T030905Z", second);
        }

        [Fact]
        public async Task ATokenIsNeverSentWithoutTls()
        {
            var options = new SqlConnectionOptions { Endpoint = sandbox.Host, Port = sandbox.Port, SslMode = SqlSslMode.None };
            IamDatabaseAuthentication.Apply(options, new StaticCredentialSource(Keys), "us-east-1", "app_iam");

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlIamAuthenticationNeedsTls", error.ErrorId);
        }

        [Fact]
        public async Task AnIamAccountLogsInWithTheTokenAndTheServerChecksItsSignature()
        {
            // The sandbox's PAM service checks the token as Aurora does, with a SigV4 of its own (verify-iam-token.py).
            sandbox.CreateIamUser("iam_login", Keys.AccessKey, Keys.SecretKey);
            var options = new SqlConnectionOptions { Endpoint = sandbox.Host, Port = sandbox.Port, SslCa = sandbox.CaFile };
            IamDatabaseAuthentication.Apply(options, new StaticCredentialSource(Keys), "us-east-1", "iam_login");

            using (var session = await AuroraConnectionFactory.OpenAsync(options))
            {
                using var command = session.Connection.CreateCommand();
                command.CommandText = "SELECT CURRENT_USER()";
                Assert.Equal("iam_login@%", (string)(await command.ExecuteScalarAsync())!);
            }
            Assert.Contains(sandbox.IamVerifierDecisions(), line => line.EndsWith(" iam_login accepted", StringComparison.Ordinal));
        }

        [Fact]
        public async Task ATokenSignedWithAnotherSecretIsRefusedByTheServerAndStaysOutOfTheError()
        {
            sandbox.CreateIamUser("iam_wrongkey", Keys.AccessKey, Keys.SecretKey);
            var wrong = new AwsCredentialSet(Keys.AccessKey, "not-the-secret-the-server-knows");
            var options = new SqlConnectionOptions { Endpoint = sandbox.Host, Port = sandbox.Port, SslCa = sandbox.CaFile };
            IamDatabaseAuthentication.Apply(options, new StaticCredentialSource(wrong), "us-east-1", "iam_wrongkey");

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlAccessDenied", error.ErrorId);
            Assert.DoesNotContain("X-Amz-Signature", error.ToString());
            Assert.DoesNotContain(wrong.SecretKey, error.ToString());
            Assert.Contains(sandbox.IamVerifierDecisions(), line => line.EndsWith(" iam_wrongkey refused: signature does not match", StringComparison.Ordinal));
        }

        [Fact]
        public async Task TheTokenGoesToTheServerOverVerifiedTlsAndStaysOutOfTheError()
        {
            // MariaDB has no AWSAuthenticationPlugin: the login reaches authentication over TLS and is denied.
            var now = DateTime.UtcNow;
            var options = new SqlConnectionOptions { Endpoint = sandbox.Host, Port = sandbox.Port, SslCa = sandbox.CaFile };
            IamDatabaseAuthentication.Apply(options, new StaticCredentialSource(Keys), "us-east-1", "app_iam", () => now);
            var token = options.PasswordProvider!();

            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(options));

            Assert.Equal("SqlAccessDenied", error.ErrorId);
            Assert.Contains("'app_iam'", error.Message);
            Assert.DoesNotContain(token, error.Message);
            Assert.DoesNotContain("X-Amz-Signature", error.ToString());
            Assert.DoesNotContain(Keys.SecretKey, error.ToString());
        }
    }
}
