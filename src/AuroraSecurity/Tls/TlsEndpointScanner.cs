using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tls
{
    /// <summary>Whether a probe tested a protocol version or a cipher suite.</summary>
    public enum TlsProbeKind
    {
        /// <summary>A TLS protocol version.</summary>
        Protocol,

        /// <summary>A cipher suite of the Aurora MySQL cipher table, offered alone over TLS 1.2.</summary>
        Cipher,
    }

    /// <summary>What one probe of an endpoint's scan established.</summary>
    public enum TlsProbeStatus
    {
        /// <summary>The server completed the handshake.</summary>
        Accepted,

        /// <summary>The server refused the handshake.</summary>
        Refused,

        /// <summary>This client could not offer the protocol or cipher (its TLS library or platform refused): the server's answer is unknown.</summary>
        NotTestable,

        /// <summary>No MySQL server answered.</summary>
        Unreachable,
    }

    /// <summary>One line of an endpoint's TLS scan: a protocol or cipher, and whether the server accepted it.</summary>
    public sealed class TlsEndpointProbeResult
    {
        /// <summary>The endpoint probed.</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>The port probed.</summary>
        public int Port { get; internal set; }

        /// <summary>Protocol or Cipher.</summary>
        public TlsProbeKind Kind { get; internal set; }

        /// <summary>"TLSv1.2", or the cipher's OpenSSL name ("ECDHE-RSA-AES256-GCM-SHA384").</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>Whether the server accepted the handshake; null when it was not tested (this client could not offer it, or no server answered).</summary>
        public bool? Accepted { get; internal set; }

        /// <summary>Accepted, Refused, NotTestable (the client could not offer it) or Unreachable.</summary>
        public TlsProbeStatus Status { get; internal set; }

        /// <summary>The protocol the handshake settled on.</summary>
        public string? NegotiatedProtocol { get; internal set; }

        /// <summary>The IANA name of the suite the handshake settled on.</summary>
        public string? NegotiatedCipherSuite { get; internal set; }

        /// <summary>Why not accepted, or why not tested.</summary>
        public string? Detail { get; internal set; }

        /// <summary>False when this platform cannot restrict ciphers, so cipher acceptance was not tested.</summary>
        public bool CipherRestrictionSupported { get; internal set; }
    }

    /// <summary>What to scan.</summary>
    public sealed class TlsEndpointScanRequest
    {
        /// <summary>The host or address.</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The MySQL port.</summary>
        public int Port { get; set; } = 3306;

        /// <summary>The name to send as SNI; the endpoint when not set.</summary>
        public string? ServerName { get; set; }

        /// <summary>Protocols to test; all four (TLSv1.0 … TLSv1.3) when null.</summary>
        public IReadOnlyList<string>? Protocols { get; set; }

        /// <summary>Ciphers to test (OpenSSL or IANA names of the Aurora MySQL cipher table); all twelve when null.</summary>
        public IReadOnlyList<string>? Ciphers { get; set; }

        /// <summary>How many handshakes may run at once.</summary>
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Time allowed for each handshake.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary>Finds which TLS protocols and which of the Aurora MySQL ciphers an endpoint accepts, one handshake each, concurrently.</summary>
    public static class TlsEndpointScanner
    {
        /// <summary>Results in a stable order: protocols lowest first, then ciphers in the cipher table's order.</summary>
        public static Task<IReadOnlyList<TlsEndpointProbeResult>> ScanAsync(TlsEndpointScanRequest request, CancellationToken cancellationToken = default) =>
            ScanAsync(request, TlsProbe.CipherRestrictionSupported, cancellationToken);

        /// <summary>The scan, with the platform's ability to restrict ciphers given, so the Windows path can be tested anywhere.</summary>
        internal static async Task<IReadOnlyList<TlsEndpointProbeResult>> ScanAsync(TlsEndpointScanRequest request, bool canRestrict, CancellationToken cancellationToken)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var protocols = (request.Protocols ?? TlsProbe.ProtocolNames).Select(TlsProbe.NormalizeProtocol).Distinct().ToList();
            var ciphers = (request.Ciphers ?? CipherCatalog.All.Select(c => c.Name).ToList()).Select(CipherCatalog.Get).Distinct().ToList();

            using (var gate = new SemaphoreSlim(Math.Max(1, request.ThrottleLimit)))
            {
                async Task<TlsEndpointProbeResult> Run(TlsProbeKind kind, string name, IReadOnlyList<string> offerProtocols, IReadOnlyList<string> offerSuites)
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var probe = await TlsProbe.ProbeAsync(
                            new TlsProbeRequest
                            {
                                Host = request.Endpoint,
                                Port = request.Port,
                                ServerName = request.ServerName,
                                Protocols = offerProtocols,
                                CipherSuites = offerSuites,
                                Timeout = request.Timeout,
                            },
                            cancellationToken).ConfigureAwait(false);
                        return new TlsEndpointProbeResult
                        {
                            Endpoint = request.Endpoint,
                            Port = request.Port,
                            Kind = kind,
                            Name = name,
                            Status = !probe.Reached ? TlsProbeStatus.Unreachable
                                : probe.HandshakeSucceeded ? TlsProbeStatus.Accepted
                                : probe.ClientCouldNotOffer ? TlsProbeStatus.NotTestable
                                : TlsProbeStatus.Refused,
                            Accepted = probe.Reached && (probe.HandshakeSucceeded || !probe.ClientCouldNotOffer) ? probe.HandshakeSucceeded : (bool?)null,
                            NegotiatedProtocol = probe.NegotiatedProtocol,
                            NegotiatedCipherSuite = probe.CipherSuite,
                            Detail = probe.HandshakeSucceeded ? null
                                : probe.ClientCouldNotOffer ? $"Not tested: this client could not offer {name} ({probe.Error}); the server's answer is unknown."
                                : probe.Error,
                            CipherRestrictionSupported = canRestrict,
                        };
                    }
                    finally
                    {
                        gate.Release();
                    }
                }

                var tasks = new List<Task<TlsEndpointProbeResult>>();
                foreach (var protocol in protocols)
                {
                    tasks.Add(Run(TlsProbeKind.Protocol, protocol, new[] { protocol }, Array.Empty<string>()));
                }

                var results = new List<TlsEndpointProbeResult>();
                foreach (var cipher in ciphers)
                {
                    if (canRestrict)
                    {
                        tasks.Add(Run(TlsProbeKind.Cipher, cipher.Name, new[] { "TLSv1.2" }, new[] { cipher.IanaName }));
                    }
                }

                results.AddRange(await Task.WhenAll(tasks).ConfigureAwait(false));
                if (!canRestrict)
                {
                    results.AddRange(ciphers.Select(cipher => new TlsEndpointProbeResult
                    {
                        Endpoint = request.Endpoint,
                        Port = request.Port,
                        Kind = TlsProbeKind.Cipher,
                        Name = cipher.Name,
                        Accepted = null,
                        Status = TlsProbeStatus.NotTestable,
                        Detail = "Not tested: this platform cannot restrict the cipher suites a handshake offers (Windows, or Windows PowerShell 5.1).",
                        CipherRestrictionSupported = false,
                    }));
                }

                return results;
            }
        }

        /// <summary>
        /// What the caller says before a scan: on a platform that cannot restrict cipher suites, a scan that asks for
        /// ciphers tests protocols only. Null when there is nothing to say.
        /// </summary>
        public static string? WarningBefore(TlsEndpointScanRequest request) =>
            TlsProbe.CipherRestrictionSupported || (request?.Ciphers != null && request.Ciphers.Count == 0)
                ? null
                : "This platform cannot restrict the cipher suites a handshake offers (Windows, or Windows PowerShell 5.1): only protocols are tested; cipher results say 'not tested'.";

        /// <summary>
        /// The failure when no handshake reached a MySQL server at the endpoint (nothing was accepted and a probe found it
        /// unreachable), or null when the results say something about the server.
        /// </summary>
        public static AuroraSecurityException? Unreachable(TlsEndpointScanRequest request, IReadOnlyList<TlsEndpointProbeResult> results)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var unreachable = results.FirstOrDefault(r => r.Status == TlsProbeStatus.Unreachable);
            return unreachable != null && results.All(r => r.Accepted != true)
                ? new AuroraSecurityException("TlsEndpointUnreachable", FailureKind.ConnectionError, $"Could not reach a MySQL server at {request.Endpoint}:{request.Port}: {unreachable.Detail}")
                : null;
        }

        /// <summary>
        /// What the caller says after a scan about what this client could not offer (so the server's answer is unknown),
        /// or null when every probe could be made.
        /// </summary>
        public static string? WarningAfter(TlsEndpointScanRequest request, IReadOnlyList<TlsEndpointProbeResult> results)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var untestable = results.Where(r => r.Status == TlsProbeStatus.NotTestable && r.CipherRestrictionSupported).Select(r => r.Name).ToList();
            return untestable.Count == 0
                ? null
                : $"{request.Endpoint}:{request.Port}: not tested, because this client's TLS library would not offer them: {string.Join(", ", untestable)}. " +
                  "Their Accepted is empty (Status NotTestable): the server's answer is unknown. Test from a client whose OpenSSL allows them (for example a lower security level).";
        }
    }
}
