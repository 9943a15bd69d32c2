using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    /// <summary>Cancellation reaches a connect that waits for a MySQL greeting which never comes.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public class ConnectCancellationTests
    {
        private static SqlConnectionOptions Options(int port)
        {
            var password = new SecureString();
            password.AppendChar('x');
            return new SqlConnectionOptions
            {
                Endpoint = "127.0.0.1",
                Port = port,
                User = "app",
                Password = password,
                SslMode = SqlSslMode.Required,
                Pooling = false,
                ConnectTimeoutSeconds = 60,
            };
        }

        private static async Task WaitForConnectionAsync(FakeMySqlServer server)
        {
            for (var i = 0; i < 500 && server.Connections == 0; i++)
            {
                await Task.Delay(20);
            }

            Assert.Equal(1, server.Connections);
        }

        [Fact]
        public async Task ACancelledConnectToASilentPortReturnsLongBeforeTheConnectTimeout()
        {
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.Silent);
            using var cancellation = new CancellationTokenSource();

            var open = AuroraConnectionFactory.OpenAsync(Options(server.Port), cancellation.Token);
            await WaitForConnectionAsync(server);
            cancellation.Cancel();
            var finished = await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(30)));

            // Correctness, not speed: without cancellation the connect would last its 60 s timeout.
            Assert.Same(open, finished);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open);
        }

        [Fact]
        public async Task TheTlsConnectionTestStopsOnCancellationWhileTheServerIsSilent()
        {
            using var server = new FakeMySqlServer(FakeMySqlBehaviour.Silent);
            using var cancellation = new CancellationTokenSource();
            var request = new TlsConnectionTestRequest { Endpoint = "127.0.0.1", Port = server.Port, User = "app", ConnectTimeoutSeconds = 60 };

            var test = TlsConnectionTester.TestAsync(request, cancellation.Token);
            await WaitForConnectionAsync(server);
            cancellation.Cancel();
            var finished = await Task.WhenAny(test, Task.Delay(TimeSpan.FromSeconds(30)));

            Assert.Same(test, finished);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test);
        }
    }
}
