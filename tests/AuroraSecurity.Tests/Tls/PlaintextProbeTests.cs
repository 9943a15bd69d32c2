using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Sql;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>The plaintext half of Test-AuroraTlsConnection against a peer that asks for the password in clear text.</summary>
    [Collection(SandboxCollection.Name)]
    [Trait(Needs.Key, Needs.MariaDb)]
    public class PlaintextProbeTests
    {
        private readonly SandboxServer sandbox;

        public PlaintextProbeTests(SandboxFixture fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task ThePlaintextProbeNeverSendsThePasswordToAPeerThatAsksForItInClearText()
        {
            using var peer = new FakeMySqlServer(FakeMySqlBehaviour.RelayTlsAnswerPlaintext, sandbox.Host, sandbox.Port);
            var request = TlsTestRequests.For(sandbox);
            request.Port = peer.Port;

            var report = await TlsConnectionTester.TestAsync(request);

            Assert.True(report.Connected, report.Detail);
            Assert.True(report.Verified);
            Assert.False(peer.ReceivedInPlaintext(sandbox.AdminPassword), "the password crossed an unencrypted connection");
            Assert.Equal(0, peer.ClearTextSwitchesAnswered);
            Assert.NotEmpty(peer.PlaintextPackets);
            Assert.False(report.InsecureRefused);
            Assert.Contains("require_secure_transport is OFF (read over the verified TLS session)", report.InsecureEvidence);
            Assert.Contains("mysql_clear_password; the probe stopped there", report.InsecureEvidence);
            Assert.Contains("asked for the password in clear text (mysql_clear_password); none was sent", report.Warning);
        }

        [Fact]
        public async Task TheProbeSendsTheUserNameAndAnEmptyAnswerAndStopsAtAClearTextSwitch()
        {
            using var peer = new FakeMySqlServer(FakeMySqlBehaviour.PlaintextOnly);

            var result = await PlaintextLoginProbe.ProbeAsync("127.0.0.1", peer.Port, "app_user", System.TimeSpan.FromSeconds(5));

            Assert.True(result.Greeted);
            Assert.False(result.OffersTls);
            Assert.Equal(PlaintextLoginAnswer.SwitchRequested, result.Answer);
            Assert.Equal("mysql_clear_password", result.SwitchPlugin);
            Assert.True(result.SwitchIsClearText);
            var login = Assert.Single(peer.PlaintextPackets);
            var flags = System.BitConverter.ToUInt32(login, 0);
            Assert.Equal(0u, flags & 0x800u);
            // 32 fixed bytes, the user name and its terminator, then the length of the auth answer: zero.
            Assert.Equal("app_user", System.Text.Encoding.ASCII.GetString(login, 32, 8));
            Assert.Equal(0, login[32 + 8]);
            Assert.Equal(0, login[32 + 9]);
            Assert.Equal("mysql_native_password", System.Text.Encoding.ASCII.GetString(login, 32 + 10, 21));
            Assert.Equal(0, peer.ClearTextSwitchesAnswered);
        }

        [Fact]
        public async Task AServerThatRefusesTheEmptyLoginIsReportedWithItsCode()
        {
            var result = await PlaintextLoginProbe.ProbeAsync(sandbox.Host, sandbox.Port, sandbox.AdminUser, System.TimeSpan.FromSeconds(10));

            Assert.True(result.Greeted);
            Assert.True(result.OffersTls);
            Assert.Equal(PlaintextLoginAnswer.Refused, result.Answer);
            Assert.Equal(1045, result.ErrorCode);
            Assert.Contains("using password: NO", result.ErrorText);
        }
    }
}
