using System.Management.Automation;
using AuroraSecurity.Tls;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Finds which TLS protocol versions and which of Aurora MySQL's cipher suites an endpoint accepts, one handshake each.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "AuroraTlsEndpoint")]
    [OutputType(typeof(TlsEndpointProbeResult))]
    public sealed class TestAuroraTlsEndpointCommand : AuroraCmdlet
    {
        /// <summary>The endpoint to scan.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The name to present in the handshake (SNI).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>The TLS protocols to offer, one handshake each: the same name and spelling as Connect-AuroraMySql's.</summary>
        [Parameter]
        [ValidateSet("TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")]
        public string[]? TlsVersion { get; set; }

        /// <summary>The cipher suites to offer, one handshake each; an empty list tests none.</summary>
        [Parameter]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(CipherCompleter))]
        public string[]? TlsCipherSuite { get; set; }

        /// <summary>How many handshakes run at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var request = new TlsEndpointScanRequest
            {
                Endpoint = Endpoint,
                Port = Port,
                ServerName = ServerName,
                Protocols = TlsVersion,
                Ciphers = TlsCipherSuite,
                ThrottleLimit = ThrottleLimit,
            };
            var before = TlsEndpointScanner.WarningBefore(request);
            if (before != null) WriteWarning(before);

            WriteVerbose($"Probing {Endpoint}:{Port}, {ThrottleLimit} handshakes at a time.");
            try
            {
                var results = Await(TlsEndpointScanner.ScanAsync(request, CancellationToken));
                var unreachable = TlsEndpointScanner.Unreachable(request, results);
                if (unreachable != null)
                {
                    WriteFailure(unreachable, Endpoint);
                    return;
                }

                var after = TlsEndpointScanner.WarningAfter(request, results);
                if (after != null) WriteWarning(after);
                foreach (var result in results)
                {
                    WriteObject(result);
                }
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Endpoint);
            }
        }
    }
}
