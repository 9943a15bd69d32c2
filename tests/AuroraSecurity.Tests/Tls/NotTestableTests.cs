using System;
using System.Linq;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>A handshake this client cannot even offer says nothing about the server: it is NotTestable, never "not accepted".</summary>
    [Collection(SandboxCollection.Name)]
    [Trait(Needs.Key, Needs.MariaDb)]
    public class NotTestableTests
    {
        private readonly SandboxServer sandbox;

        public NotTestableTests(SandboxFixture fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task ACipherTheOfferedProtocolCannotCarryIsNotTestableAndNotRefused()
        {
            // A TLS 1.3 suite offered over TLS 1.2 only: the client has no cipher to put in its hello, so it sends none.
            var probe = await TlsProbe.ProbeAsync(new TlsProbeRequest
            {
                Host = sandbox.Host,
                Port = sandbox.Port,
                Protocols = new[] { "TLSv1.2" },
                CipherSuites = new[] { "TLS_AES_256_GCM_SHA384" },
            });

            Assert.True(probe.Reached, probe.Error);
            Assert.False(probe.HandshakeSucceeded);
            Assert.True(probe.ClientCouldNotOffer, probe.Error);
        }

        [Fact]
        public async Task TheServersRefusalIsStillRefused()
        {
            // The sandbox allows TLS 1.2 and 1.3; offering one cipher of the guide's table that its ssl_cipher leaves out is refused by the server.
            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = sandbox.Host, Port = sandbox.Port, Protocols = new[] { "TLSv1.2", "TLSv1.3" }, Ciphers = Array.Empty<string>() });

            Assert.All(results, r => Assert.Equal(TlsProbeStatus.Accepted, r.Status));
            Assert.All(results, r => Assert.True(r.Accepted));
        }

        [Fact]
        public async Task EveryProbeTheClientCouldNotMakeHasNoVerdict()
        {
            // TLS 1.0 and 1.1: whether this machine's OpenSSL offers them depends on its security level; either way a client-side
            // refusal must never read as the server's "not accepted".
            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = sandbox.Host, Port = sandbox.Port, Protocols = new[] { "TLSv1.0", "TLSv1.1" }, Ciphers = Array.Empty<string>() });

            Assert.Equal(2, results.Count);
            foreach (var result in results)
            {
                var clientSaidNo = result.Detail != null
                    && (result.Detail.Contains("no protocols available", StringComparison.OrdinalIgnoreCase) || result.Detail.Contains("no ciphers available", StringComparison.OrdinalIgnoreCase));
                if (clientSaidNo)
                {
                    Assert.Equal(TlsProbeStatus.NotTestable, result.Status);
                    Assert.Null(result.Accepted);
                    Assert.StartsWith("Not tested: this client could not offer", result.Detail);
                }
                else
                {
                    Assert.Equal(TlsProbeStatus.Refused, result.Status);
                    Assert.False(result.Accepted);
                }
            }
        }

        [Fact]
        public async Task NoServerMeansUnreachableWithoutAVerdict()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = "127.0.0.1", Port = port, Protocols = new[] { "TLSv1.2" }, Ciphers = Array.Empty<string>() });

            var only = Assert.Single(results);
            Assert.Equal(TlsProbeStatus.Unreachable, only.Status);
            Assert.Null(only.Accepted);
        }
    }
}
