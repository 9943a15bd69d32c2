using System.Management.Automation;
using AuroraSecurity.Sql;
using AuroraSecurity.Tls;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Proves that logins to each endpoint are encrypted and verified, and reports the certificate and whether plaintext is refused.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "AuroraTlsConnection")]
    [OutputType(typeof(TlsConnectionReport))]
    public sealed class TestAuroraTlsConnectionCommand : AuroraCmdlet
    {
        /// <summary>The endpoints to test.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public string[] Endpoint { get; set; } = new string[0];

        /// <summary>The port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The database user and password.</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        public PSCredential SqlCredential { get; set; } = PSCredential.Empty;

        /// <summary>The CA bundle.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly TLS is verified.</summary>
        [Parameter]
        public SqlSslMode SslMode { get => (SqlSslMode)sslMode; set => sslMode = (int)value; }

        // A number, not the engine's enum: a field of an engine type would load the engine when PowerShell lists this
        // assembly's types at import, before the module's resolver for it is in place (see ModuleInitializer).
        private int sslMode = (int)SqlSslMode.VerifyFull;

        /// <summary>The name the certificate must carry, when it is not the endpoint.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var caFile = ResolveFilePath(SslCa);
            foreach (var endpoint in Endpoint)
            {
                var request = new TlsConnectionTestRequest
                {
                    Endpoint = endpoint,
                    Port = Port,
                    ServerName = ServerName,
                    User = SqlCredential.UserName,
                    Password = SqlCredential.Password,
                    SslCa = caFile,
                    SslMode = SslMode,
                };
                var fallback = SqlSslModes.PasswordWarning(SslMode, endpoint, Port);
                if (fallback != null)
                {
                    WriteWarning(fallback);
                }

                WriteVerbose($"Testing TLS to {endpoint}:{Port} as '{request.User}' with SslMode {SslMode}{(ServerName == null ? string.Empty : ", verifying the name " + ServerName)}.");
                try
                {
                    var report = Await(TlsConnectionTester.TestAsync(request, CancellationToken));
                    if (report.Warning.Length > 0)
                    {
                        WriteWarning($"{endpoint}:{Port}: {report.Warning}");
                    }

                    WriteObject(report);
                }
                catch (System.Exception error) when (IsFailure(error))
                {
                    WriteFailure(error, endpoint);
                }
            }
        }
    }
}
