using System.Management.Automation;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// The base of every SQL cmdlet: it runs on a session from Connect-AuroraMySql (-Session), or opens its own
    /// from the same connection parameters (-Endpoint, -SqlCredential, …) and closes it when the cmdlet ends.
    /// </summary>
    public abstract class SqlCmdlet : AuroraCmdlet
    {
        /// <summary>The parameter set for a session from Connect-AuroraMySql.</summary>
        protected const string SessionSet = "Session";

        /// <summary>The parameter set for connecting directly.</summary>
        protected const string ConnectSet = "Connect";

        private AuroraSqlSession? ownSession;

        /// <summary>A session from Connect-AuroraMySql.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionSet)]
        public AuroraSqlSession? Session { get; set; }

        /// <summary>The endpoint to connect to when no session is given.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectSet)]
        [Alias("Server", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>The port.</summary>
        [Parameter(ParameterSetName = ConnectSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The database user and password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectSet)]
        [Credential]
        public PSCredential? SqlCredential { get; set; }

        /// <summary>The CA bundle to verify the server against.</summary>
        [Parameter(ParameterSetName = ConnectSet)]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly TLS is enforced.</summary>
        [Parameter(ParameterSetName = ConnectSet)]
        public SqlSslMode SslMode { get; set; } = SqlSslMode.VerifyFull;

        /// <summary>TLS protocols the client may use, as Connect-AuroraMySql takes them.</summary>
        [Parameter(ParameterSetName = ConnectSet)]
        [ValidateSet("TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")]
        public string[]? TlsVersion { get; set; }

        /// <summary>Cipher suites the client may use, in OpenSSL spelling or IANA names, as Connect-AuroraMySql takes them.</summary>
        [Parameter(ParameterSetName = ConnectSet)]
        [ValidateNotNullOrEmpty]
        public string[]? TlsCipherSuite { get; set; }

        /// <summary>The session to run on: the given one, or one opened (once) from the connection parameters.</summary>
        protected AuroraSqlSession GetSession()
        {
            if (Session != null)
            {
                if (!Session.IsOpen)
                {
                    throw new AuroraSecurityException("SqlSessionClosed", FailureKind.InvalidOperation, $"The session {Session} is closed. Open a new one with Connect-AuroraMySql.");
                }

                return Session;
            }

            if (ownSession == null)
            {
                var options = new SqlConnectionOptions
                {
                    Endpoint = Endpoint ?? string.Empty,
                    Port = Port,
                    User = SqlCredential?.UserName ?? string.Empty,
                    Password = SqlCredential?.Password,
                    SslMode = SslMode,
                    SslCa = ResolveFilePath(SslCa),
                    TlsVersions = TlsVersion ?? new string[0],
                    TlsCipherSuites = TlsCipherSuite ?? new string[0],
                };
                WriteVerbose($"Connecting to {options.Endpoint}:{options.Port} as '{options.User}' with SslMode {options.SslMode}.");
                var fallback = SqlSslModes.PasswordWarning(options.SslMode, options.Endpoint, options.Port);
                if (fallback != null)
                {
                    WriteWarning(fallback);
                }

                ownSession = Await(AuroraConnectionFactory.OpenAsync(options, CancellationToken));
            }

            return ownSession;
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CloseOwnSession();
            base.EndProcessing();
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            base.StopProcessing();
            CloseOwnSession();
        }

        private void CloseOwnSession()
        {
            ownSession?.Dispose();
            ownSession = null;
        }
    }
}
