using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>The real HttpClientHandler against local sockets that stall or hang up.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class SocketTransportTests : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public SocketTransportTests() => _listener.Start();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private Uri Endpoint => new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");

        private void AcceptLoop(bool hangUp)
        {
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient socket;
                    try
                    {
                        socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    if (hangUp)
                    {
                        socket.Client.LingerState = new LingerOption(true, 0);
                        socket.Close();
                    }
                }
            });
        }

        private RdsQueryClient Client(RdsRetryPolicy retry) =>
            new RdsQueryClient(new RdsClientOptions("eu-west-1", new StaticCredentialSource(FakeRdsHandler.Keys()))
            {
                EndpointUrl = Endpoint,
                Retry = retry,
                RequestTimeout = TimeSpan.FromSeconds(30),
            });

        [Fact]
        public async Task CancellingAStalledServerReturnsWithinASecond()
        {
            AcceptLoop(hangUp: false);
            using var client = Client(RdsRetryPolicy.Default);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DescribeDBClustersAsync(cancellationToken: cts.Token));
            Assert.InRange(watch.ElapsedMilliseconds, 0, 1300);
        }

        [Fact]
        public async Task ConnectionsResetByTheServerAreRetriedThenReported()
        {
            AcceptLoop(hangUp: true);
            using var client = Client(new RdsRetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeDBInstancesAsync());
            Assert.Equal(RdsApiException.NetworkErrorCode, e.Code);
            Assert.Equal(3, e.Attempts);
            Assert.Equal(0, e.HttpStatus);
        }
    }
}
