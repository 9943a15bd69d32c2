using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;
using Xunit.Abstractions;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>What sslscan, an independent scanner built on OpenSSL, says a MySQL endpoint accepts.</summary>
    internal sealed class SslScanReport
    {
        public HashSet<string> EnabledProtocols { get; } = new HashSet<string>();

        public HashSet<string> Tls12Ciphers { get; } = new HashSet<string>();

        public static SslScanReport Run(string host, int port)
        {
            var result = SandboxServer.RunProcess("sslscan", new[] { "--no-colour", "--starttls-mysql", $"{host}:{port}" }, TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, $"sslscan failed ({result.ExitCode}): {result.StdErr}{result.StdOut}");
            var report = new SslScanReport();
            foreach (var line in result.StdOut.Split('\n'))
            {
                var protocol = Regex.Match(line, @"^(TLSv1\.[0-3])\s+(enabled|disabled)\s*$");
                if (protocol.Success && protocol.Groups[2].Value == "enabled")
                {
                    report.EnabledProtocols.Add(protocol.Groups[1].Value);
                }

                var cipher = Regex.Match(line, @"^(Accepted|Preferred)\s+(TLSv1\.[0-3])\s+\d+\s+bits\s+(\S+)");
                if (cipher.Success && cipher.Groups[2].Value == "TLSv1.2")
                {
                    report.Tls12Ciphers.Add(cipher.Groups[3].Value);
                }
            }

            Assert.True(report.EnabledProtocols.Count > 0, "sslscan printed no protocol section:\n" + result.StdOut);
            return report;
        }
    }

    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(RestrictedCipherCollection.Name)]
    public class TlsEndpointScannerTests
    {
        private readonly SandboxServer sandbox;
        private readonly ITestOutputHelper output;

        public TlsEndpointScannerTests(RestrictedCipherSandbox fixture, ITestOutputHelper output)
        {
            sandbox = fixture.Server;
            this.output = output;
        }

        [Fact]
        public async Task TheScanAgreesWithSslscanOnTheAuroraCiphersAndModernProtocols()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = sandbox.Host, Port = sandbox.Port });
            output.WriteLine($"12 ciphers + 4 protocols in {watch.ElapsedMilliseconds} ms");
            var scan = SslScanReport.Run(sandbox.Host, sandbox.Port);

            Assert.Equal(16, results.Count);
            foreach (var cipher in CipherCatalog.All)
            {
                var ours = results.Single(r => r.Kind == TlsProbeKind.Cipher && r.Name == cipher.Name);
                Assert.True(scan.Tls12Ciphers.Contains(cipher.Name) == (ours.Accepted == true), $"{cipher.Name}: sslscan {scan.Tls12Ciphers.Contains(cipher.Name)}, ours {ours.Accepted} ({ours.Detail})");
            }

            foreach (var protocol in new[] { "TLSv1.2", "TLSv1.3" })
            {
                var ours = results.Single(r => r.Kind == TlsProbeKind.Protocol && r.Name == protocol);
                Assert.True(scan.EnabledProtocols.Contains(protocol) == (ours.Accepted == true), $"{protocol}: sslscan {scan.EnabledProtocols.Contains(protocol)}, ours {ours.Accepted} ({ours.Detail})");
            }

            // The sandbox's own settings, as a check that the comparison above was not between two empty answers.
            Assert.Equal(RestrictedCipherSandbox.Allowed.OrderBy(n => n), results.Where(r => r.Kind == TlsProbeKind.Cipher && r.Accepted == true).Select(r => r.Name).OrderBy(n => n));
            Assert.False(results.Single(r => r.Name == "TLSv1.3").Accepted);
        }

        [Fact]
        public async Task AcceptedCiphersNegotiateThatSuiteOverTls12()
        {
            var results = await TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest
            {
                Endpoint = sandbox.Host,
                Port = sandbox.Port,
                Protocols = Array.Empty<string>(),
                Ciphers = new[] { "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
            });

            var accepted = results.Single(r => r.Name == "ECDHE-RSA-AES256-GCM-SHA384");
            Assert.True(accepted.Accepted);
            Assert.Equal("TLSv1.2", accepted.NegotiatedProtocol);
            Assert.Equal("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", accepted.NegotiatedCipherSuite);
            var refused = results.Single(r => r.Name == "ECDHE-RSA-AES128-GCM-SHA256");
            Assert.False(refused.Accepted);
            Assert.False(string.IsNullOrEmpty(refused.Detail));
        }

        [Fact]
        public async Task AnUnknownCipherIsRefusedBeforeAnyHandshake()
        {
            var error = await Assert.ThrowsAsync<AuroraSecurityException>(() => TlsEndpointScanner.ScanAsync(new TlsEndpointScanRequest { Endpoint = sandbox.Host, Port = sandbox.Port, Ciphers = new[] { "RC4-MD5" } }));

            Assert.Contains("RC4-MD5", error.Message);
        }
    }
}
