using System.Management.Automation;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Opens a SQL session to an Aurora MySQL endpoint, verifying TLS (chain and host name) by default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "AuroraMySql", DefaultParameterSetName = PasswordSet)]
    [OutputType(typeof(AuroraSqlSession))]
    public sealed class ConnectAuroraMySqlCommand : AwsCmdletBase
    {
        private const string PasswordSet = "Password";
        private const string IamSet = "Iam";

        /// <summary>The cluster, instance or proxy endpoint.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Server", "Address")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The database user and password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Credential]
        public PSCredential SqlCredential { get; set; } = PSCredential.Empty;

        /// <summary>Log in with IAM database authentication: a fresh token from the AWS credentials for each connection.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IamSet)]
        public SwitchParameter IamAuthentication { get; set; }

        /// <summary>The IAM-enabled database user.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IamSet)]
        [ValidateNotNullOrEmpty]
        public string DbUser { get; set; } = string.Empty;

        /// <summary>The CA bundle to verify the server against.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly TLS is enforced; VerifyFull unless lowered on purpose.</summary>
        [Parameter]
        public SqlSslMode SslMode { get; set; } = SqlSslMode.VerifyFull;

        /// <summary>TLS protocols the client may use.</summary>
        [Parameter]
        [ValidateSet("TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")]
        public string[]? TlsVersion { get; set; }

        /// <summary>Cipher suites the client may use, in OpenSSL spelling or IANA names.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TlsCipherSuite { get; set; }

        /// <summary>The default database.</summary>
        [Parameter]
        public string? Database { get; set; }

        /// <summary>Seconds to wait for the connection.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int ConnectTimeout { get; set; } = 15;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new SqlConnectionOptions
            {
                Endpoint = Endpoint,
                Port = Port,
                User = SqlCredential.UserName,
                Password = IamAuthentication.IsPresent ? null : SqlCredential.Password,
                SslMode = SslMode,
                SslCa = ResolveFilePath(SslCa),
                TlsVersions = TlsVersion ?? new string[0],
                TlsCipherSuites = TlsCipherSuite ?? new string[0],
                Database = Database,
                ConnectTimeoutSeconds = ConnectTimeout,
            };
            if (IamAuthentication.IsPresent)
            {
                var context = ResolveAwsContext();
                IamDatabaseAuthentication.Apply(options, context.Credentials, context.Region, DbUser);
            }

            WriteVerbose($"Connecting to {Endpoint}:{Port} as '{options.User}' with SslMode {SslMode}{(options.SslCa == null ? string.Empty : " and CA file " + options.SslCa)}.");
            try
            {
                var session = Await(AuroraConnectionFactory.OpenAsync(options, CancellationToken));
                if (!session.Encrypted)
                {
                    WriteWarning($"The session to {Endpoint}:{Port} is not encrypted. Use -SslMode VerifyFull -SslCa <RDS CA bundle> for a verified TLS connection.");
                }
                else if (SslMode < SqlSslMode.VerifyFull)
                {
                    WriteWarning($"The session to {Endpoint}:{Port} is encrypted but SslMode {SslMode} does not verify {(SslMode == SqlSslMode.VerifyCA ? "the host name" : "the server's certificate")}.");
                }

                WriteObject(session);
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Endpoint);
            }
        }
    }
}
