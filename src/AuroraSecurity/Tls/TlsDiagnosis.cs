using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tls
{
    /// <summary>Which check of a failed TLS connection failed: reached the server, protocol/cipher, certificate chain, host name.</summary>
    public sealed class TlsDiagnosis
    {
        /// <summary>The server answered the MySQL greeting.</summary>
        public bool Reached { get; private set; }

        /// <summary>The protocols and ciphers the client restricted itself to were refused (a handshake with defaults worked).</summary>
        public bool ProtocolOrCipherRefused { get; private set; }

        /// <summary>Whether the server's greeting offered TLS at all; null when it did not greet.</summary>
        public bool? ServerOffersTls { get; private set; }

        /// <summary>The server's handshake failure in the platform's words, when even a default handshake failed.</summary>
        public string? HandshakeError { get; private set; }

        /// <summary>The server's certificate, when seen.</summary>
        public ServerCertificateInfo? Certificate { get; private set; }

        /// <summary>Whether the certificate chains to the CA file; null when no certificate was seen.</summary>
        public bool? ChainValid { get; private set; }

        /// <summary>Why the chain failed.</summary>
        public string ChainDetail { get; private set; } = string.Empty;

        /// <summary>The name that was checked against the certificate.</summary>
        public string ServerName { get; private set; } = string.Empty;

        /// <summary>How the certificate named the server.</summary>
        public CertificateNameMatch MatchedBy { get; private set; }

        /// <summary>Probes the endpoint with the client's restrictions, then without, and evaluates the certificate it saw.</summary>
        public static async Task<TlsDiagnosis> RunAsync(
            string host, int port, string? serverName, IReadOnlyList<string> protocols, IReadOnlyList<string> ianaCipherSuites, string? caFile, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var diagnosis = new TlsDiagnosis { ServerName = string.IsNullOrEmpty(serverName) ? host : serverName! };
            var request = new TlsProbeRequest { Host = host, Port = port, ServerName = serverName, Protocols = protocols, CipherSuites = ianaCipherSuites, Timeout = timeout };
            var probe = await TlsProbe.ProbeAsync(request, cancellationToken).ConfigureAwait(false);
            if (!probe.HandshakeSucceeded && probe.Reached && (protocols.Count > 0 || ianaCipherSuites.Count > 0))
            {
                var unrestricted = await TlsProbe.ProbeAsync(new TlsProbeRequest { Host = host, Port = port, ServerName = serverName, Timeout = timeout }, cancellationToken).ConfigureAwait(false);
                diagnosis.ProtocolOrCipherRefused = unrestricted.HandshakeSucceeded;
                probe = unrestricted.Certificate != null ? unrestricted : probe;
            }

            diagnosis.Reached = probe.Reached;
            diagnosis.ServerOffersTls = probe.Greeting?.SupportsTls;
            diagnosis.HandshakeError = probe.HandshakeSucceeded ? null : probe.Error;
            diagnosis.Certificate = probe.Certificate;
            if (probe.Certificate != null)
            {
                var chain = CertificateChainValidator.Validate(probe.Certificate.Certificate, caFile, probe.Intermediates);
                diagnosis.ChainValid = chain.Valid;
                diagnosis.ChainDetail = chain.Detail;
                diagnosis.MatchedBy = probe.Certificate.MatchHost(diagnosis.ServerName);
            }

            return diagnosis;
        }
    }
}
