using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tls
{
    /// <summary>What to probe: an endpoint, the name to present and verify, and optionally one protocol or cipher set.</summary>
    public sealed class TlsProbeRequest
    {
        /// <summary>The host or address to connect to.</summary>
        public string Host { get; set; } = string.Empty;

        /// <summary>The MySQL port.</summary>
        public int Port { get; set; } = 3306;

        /// <summary>The name sent as SNI and used for the TLS handshake; the host when not set.</summary>
        public string? ServerName { get; set; }

        /// <summary>Protocols to offer ("TLSv1.2"); empty means the platform's default.</summary>
        public IReadOnlyList<string> Protocols { get; set; } = Array.Empty<string>();

        /// <summary>IANA cipher suite names to offer; empty means the platform's default.</summary>
        public IReadOnlyList<string> CipherSuites { get; set; } = Array.Empty<string>();

        /// <summary>Time allowed for TCP connect, greeting and handshake together.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    }

    /// <summary>What one TLS probe found: the server greeting, the negotiated protocol and cipher, and the certificate as presented.</summary>
    public sealed class TlsProbeResult
    {
        /// <summary>The TCP connection was made and the server greeted.</summary>
        public bool Reached { get; internal set; }

        /// <summary>The server's greeting, when it greeted.</summary>
        public MySqlServerGreeting? Greeting { get; internal set; }

        /// <summary>The TLS handshake completed.</summary>
        public bool HandshakeSucceeded { get; internal set; }

        /// <summary>"TLSv1.2", "TLSv1.3"… when the handshake completed.</summary>
        public string? NegotiatedProtocol { get; internal set; }

        /// <summary>The IANA name of the negotiated suite.</summary>
        public string? CipherSuite { get; internal set; }

        /// <summary>The server's certificate, when the handshake got far enough to see it.</summary>
        public ServerCertificateInfo? Certificate { get; internal set; }

        /// <summary>Certificates the server sent besides its own, to help build the chain.</summary>
        public IReadOnlyList<X509Certificate2> Intermediates { get; internal set; } = Array.Empty<X509Certificate2>();

        /// <summary>What the platform's own check said about the certificate for the server name (not used to accept it).</summary>
        public string PlatformPolicyErrors { get; internal set; } = string.Empty;

        /// <summary>Why the probe stopped short, in the platform's words.</summary>
        public string? Error { get; internal set; }

        /// <summary>
        /// The client itself could not offer what was asked (its TLS library refused the protocol or every cipher before
        /// sending a hello): the server's answer is unknown.
        /// </summary>
        public bool ClientCouldNotOffer { get; internal set; }
    }

    /// <summary>
    /// Opens a MySQL connection only as far as TLS: greeting, SSLRequest, handshake. It accepts any certificate so that the
    /// certificate's facts are known even when verification would fail; it never logs in, so nothing secret crosses it.
    /// </summary>
    public static class TlsProbe
    {
#pragma warning disable SYSLIB0039 // TLS 1.0 and 1.1 are probed on purpose: Aurora still accepts them.
        private static readonly (string Name, SslProtocols Value)[] ProtocolTable =
        {
            (TlsProtocol.Tls10.Name(), SslProtocols.Tls),
            (TlsProtocol.Tls11.Name(), SslProtocols.Tls11),
            (TlsProtocol.Tls12.Name(), SslProtocols.Tls12),
            (TlsProtocol.Tls13.Name(), (SslProtocols)12288),
        };
#pragma warning restore SYSLIB0039

        /// <summary>The protocol names a probe can offer, lowest first.</summary>
        public static IReadOnlyList<string> ProtocolNames { get; } = ProtocolTable.Select(p => p.Name).ToArray();

        /// <summary>
        /// Whether this process can restrict the cipher suites a handshake offers: .NET's CipherSuitesPolicy, which
        /// Windows and the .NET Standard build (Windows PowerShell 5.1) do not have.
        /// </summary>
        public static bool CipherRestrictionSupported
        {
            get
            {
#if NET
                return !OperatingSystem.IsWindows();
#else
                return false;
#endif
            }
        }

        /// <summary>The canonical protocol name ("TLSv1.2") for any accepted spelling, or an ArgumentException.</summary>
        public static string NormalizeProtocol(string protocol) => TlsProtocols.Parse(protocol).Name();

        /// <summary>Runs one probe; failures are reported in the result, never thrown, except cancellation by the caller.</summary>
        public static async Task<TlsProbeResult> ProbeAsync(TlsProbeRequest request, CancellationToken cancellationToken = default)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var result = new TlsProbeResult();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var client = new TcpClient())
            {
                timeout.CancelAfter(request.Timeout);
                // NetworkStream reads ignore tokens on older frameworks: closing the socket is what stops them.
                using (timeout.Token.Register(() => client.Dispose()))
                {
                    try
                    {
                        await ConnectAsync(client, request, timeout.Token).ConfigureAwait(false);
                        var stream = client.GetStream();
                        var (payload, _) = await MySqlHandshake.ReadPacketAsync(stream, timeout.Token).ConfigureAwait(false);
                        result.Greeting = MySqlHandshake.ParseGreeting(payload);
                        result.Reached = true;
                        if (!result.Greeting.SupportsTls)
                        {
                            result.Error = "The server does not offer TLS (no CLIENT_SSL in its capabilities).";
                            return result;
                        }

                        var sslRequest = MySqlHandshake.BuildSslRequest(result.Greeting.Capabilities);
                        await stream.WriteAsync(sslRequest, 0, sslRequest.Length, timeout.Token).ConfigureAwait(false);
                        await HandshakeAsync(stream, request, result, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception error) when (error is IOException || error is SocketException || error is AuthenticationException
                        || error is InvalidDataException || error is ObjectDisposedException || error is OperationCanceledException
                        || error is PlatformNotSupportedException || error is ArgumentException)
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                        result.Error = timeout.IsCancellationRequested
                            ? $"No answer within {request.Timeout.TotalSeconds:0.#} s."
                            : Describe(error);
                        result.ClientCouldNotOffer = result.Reached && !timeout.IsCancellationRequested && IsClientRefusal(error, result.Error);
                    }
                }
            }

            return result;
        }

        private static async Task ConnectAsync(TcpClient client, TlsProbeRequest request, CancellationToken cancellationToken)
        {
#if NET
            await client.ConnectAsync(request.Host, request.Port, cancellationToken).ConfigureAwait(false);
#else
            await client.ConnectAsync(request.Host, request.Port).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
#endif
        }

        private static async Task HandshakeAsync(Stream stream, TlsProbeRequest request, TlsProbeResult result, CancellationToken cancellationToken)
        {
            var protocols = SslProtocols.None;
            foreach (var name in request.Protocols)
            {
                var canonical = NormalizeProtocol(name);
                protocols |= ProtocolTable.First(p => p.Name == canonical).Value;
            }

            bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                if (certificate != null)
                {
                    result.Certificate = new ServerCertificateInfo(new X509Certificate2(certificate), DateTime.UtcNow);
                }

                if (chain != null)
                {
                    result.Intermediates = chain.ChainElements.Cast<X509ChainElement>().Skip(1).Select(e => new X509Certificate2(e.Certificate)).ToList();
                }

                result.PlatformPolicyErrors = errors == SslPolicyErrors.None ? string.Empty : errors.ToString();
                return true;
            }

            var targetHost = string.IsNullOrEmpty(request.ServerName) ? request.Host : request.ServerName!;
            using (var ssl = new SslStream(stream, leaveInnerStreamOpen: true, Accept))
            {
#if NET
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                };
                if (request.CipherSuites.Count > 0)
                {
                    if (OperatingSystem.IsWindows())
                    {
                        throw new PlatformNotSupportedException("Restricting cipher suites is not supported on Windows.");
                    }

                    options.CipherSuitesPolicy = new CipherSuitesPolicy(request.CipherSuites.Select(ParseSuite));
                }

                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
                result.CipherSuite = ssl.NegotiatedCipherSuite.ToString();
#else
                if (request.CipherSuites.Count > 0)
                {
                    throw new PlatformNotSupportedException("Restricting cipher suites needs PowerShell 7 on Linux or macOS.");
                }

                await ssl.AuthenticateAsClientAsync(targetHost, null, protocols, false).ConfigureAwait(false);
                result.CipherSuite = $"{ssl.KeyExchangeAlgorithm}/{ssl.CipherAlgorithm}{ssl.CipherStrength}/{ssl.HashAlgorithm}";
#endif
                result.HandshakeSucceeded = true;
                result.NegotiatedProtocol = ProtocolTable.Where(p => p.Value == ssl.SslProtocol).Select(p => p.Name).FirstOrDefault() ?? ssl.SslProtocol.ToString();
            }
        }

#if NET
        private static TlsCipherSuite ParseSuite(string ianaName) =>
            Enum.TryParse<TlsCipherSuite>(ianaName, ignoreCase: true, out var suite)
                ? suite
                : throw new ArgumentException($"'{ianaName}' is not a cipher suite this platform knows.", nameof(ianaName));
#endif

        // OpenSSL's own reasons for sending no ClientHello at all (its security level or configuration excludes the protocol
        // or every cipher offered), and .NET's refusal to build such a handshake: the server was never asked.
        private static bool IsClientRefusal(Exception error, string text) =>
            error is PlatformNotSupportedException
            || error is ArgumentException
            || text.IndexOf("no ciphers available", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("no protocols available", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("no suitable signature algorithm", StringComparison.OrdinalIgnoreCase) >= 0
            // .NET on Linux, when OpenSSL accepts none of the cipher suites of the policy for the protocols offered.
            || text.IndexOf("encryption policy is not supported", StringComparison.OrdinalIgnoreCase) >= 0;

        private static string Describe(Exception error)
        {
            var text = error.Message;
            for (var inner = error.InnerException; inner != null; inner = inner.InnerException)
            {
                if (!string.IsNullOrEmpty(inner.Message) && text.IndexOf(inner.Message, StringComparison.Ordinal) < 0)
                {
                    text += " " + inner.Message;
                }
            }

            return text;
        }
    }
}
