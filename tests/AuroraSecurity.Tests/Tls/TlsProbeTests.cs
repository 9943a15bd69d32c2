using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public class TlsProbeTests
    {
        private readonly SandboxServer sandbox;

        public TlsProbeTests(SandboxFixture fixture) => sandbox = fixture.Server;

        [Fact]
        public async Task TheProbeReadsTheGreetingAndTheServersOwnCertificate()
        {
            var result = await TlsProbe.ProbeAsync(new TlsProbeRequest { Host = sandbox.Host, Port = sandbox.Port });

            Assert.True(result.Reached, result.Error);
            Assert.Equal(10, result.Greeting!.ProtocolVersion);
            Assert.Contains("MariaDB", result.Greeting.ServerVersion);
            Assert.True(result.Greeting.SupportsTls);
            Assert.True(result.HandshakeSucceeded, result.Error);
            Assert.Matches("^TLSv1\\.[23]$", result.NegotiatedProtocol);
            Assert.StartsWith("TLS_", result.CipherSuite);

            var expected = CertificateChainValidator.LoadPem(sandbox.ServerCertFile)[0];
            Assert.Equal(expected.Thumbprint, result.Certificate!.Thumbprint);
            Assert.Equal("demo-instance-1.abc123.us-east-1.rds.amazonaws.com", result.Certificate.CommonName);
            Assert.Equal(new[] { "DNS:localhost", $"DNS:{sandbox.ClusterEndpoint}", "IP:127.0.0.1" }, result.Certificate.SubjectAlternativeNames);
            Assert.Equal(expected.NotAfter.ToUniversalTime(), result.Certificate.NotAfter);
        }

        [Fact]
        public async Task OneProtocolOnlyIsNegotiatedWhenOnlyOneIsOffered()
        {
            var result = await TlsProbe.ProbeAsync(new TlsProbeRequest { Host = sandbox.Host, Port = sandbox.Port, Protocols = new[] { "TLSv1.2" } });

            Assert.True(result.HandshakeSucceeded, result.Error);
            Assert.Equal("TLSv1.2", result.NegotiatedProtocol);
        }

        [Fact]
        public async Task WithoutCipherRestrictionOnlyProtocolsAreProbedAndCiphersSaySo()
        {
            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = sandbox.Host, Port = sandbox.Port }, canRestrict: false, default);

            Assert.Equal(16, results.Count);
            Assert.True(results.Single(r => r.Name == "TLSv1.2").Accepted);
            Assert.All(results.Where(r => r.Kind == TlsProbeKind.Cipher), r =>
            {
                Assert.Null(r.Accepted);
                Assert.False(r.CipherRestrictionSupported);
                Assert.Contains("Not tested", r.Detail);
            });
        }

        [Fact]
        public async Task AClosedPortIsReportedNotThrown()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var result = await TlsProbe.ProbeAsync(new TlsProbeRequest { Host = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(3) });

            Assert.False(result.Reached);
            Assert.False(result.HandshakeSucceeded);
            Assert.NotNull(result.Error);
        }
    }
}
