using System;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Sql
{
    /// <summary>A name that does not resolve, a closed port and a silent port each read differently.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public class EndpointReachabilityTests
    {
        private const string UnknownName = "no-such-cluster.cluster-abc123.invalid";

        private static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static SqlConnectionOptions Options(string endpoint, int port)
        {
            var password = new SecureString();
            password.AppendChar('x');
            return new SqlConnectionOptions
            {
                Endpoint = endpoint,
                Port = port,
                User = "app",
                Password = password,
                SslMode = SqlSslMode.Required,
                Pooling = false,
                ConnectTimeoutSeconds = 5,
            };
        }

        [Fact]
        public async Task ANameThatDoesNotResolveIsSaidToBeDns()
        {
            var text = await EndpointReachability.DescribeAsync(UnknownName, 3306, TimeSpan.FromSeconds(5));
            Assert.NotNull(text);
            Assert.Contains($"the name '{UnknownName}' does not resolve", text);
            Assert.Contains("Check the spelling", text);
        }

        [Fact]
        public async Task AClosedPortIsSaidToRefuse()
        {
            var port = ClosedPort();
            var text = await EndpointReachability.DescribeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5));
            Assert.NotNull(text);
            Assert.Contains($"nothing accepts connections on port {port}", text);
            Assert.Contains("connection refused", text);
        }

        [Fact]
        public async Task AListeningPortIsReachable()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                Assert.Null(await EndpointReachability.DescribeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TimeSpan.FromSeconds(5)));
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public async Task ConnectingSaysWhichOfTheTwoWentWrong()
        {
            var dns = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options(UnknownName, 3306)));
            var closed = await Assert.ThrowsAsync<AuroraSecurityException>(() => AuroraConnectionFactory.OpenAsync(Options("127.0.0.1", ClosedPort())));

            Assert.Equal("SqlUnableToConnect", dns.ErrorId);
            Assert.Equal("SqlUnableToConnect", closed.ErrorId);
            Assert.Contains("does not resolve", dns.Message);
            Assert.Contains("connection refused", closed.Message);
            Assert.DoesNotContain("does not resolve", closed.Message);
        }
    }
}
