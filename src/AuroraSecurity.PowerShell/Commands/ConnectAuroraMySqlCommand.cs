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
        private const string ConnectionStringSet = "ConnectionString";

        /// <summary>The cluster, instance or proxy endpoint.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IamSet)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>A MySqlConnector connection string (as Get-AuroraConnectionGuide writes it) without a password; the password comes from -SqlCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
        [ValidateNotNullOrEmpty]
        public string? ConnectionString { get; set; }

        /// <summary>The port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The database user and password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
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
        [ArgumentCompleter(typeof(CipherCompleter))]
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
            if (ParameterSetName == ConnectionStringSet)
            {
                OpenFromConnectionString();
                return;
            }

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

            Open(options);
        }

        private void OpenFromConnectionString()
        {
            SqlConnectionOptions options;
            try
            {
                options = SqlConnectionString.Parse(ConnectionString!);
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                return;
            }

            var user = SqlCredential.UserName;
            if (options.User.Length > 0 && !string.Equals(options.User, user, System.StringComparison.Ordinal))
            {
                ThrowFailure(new AuroraSecurityException("ConnectionStringUserMismatch", FailureKind.InvalidArgument,
                    $"The connection string names user '{options.User}' but -SqlCredential is for '{user}'. Give the credential of '{options.User}', or remove User ID from the string."), null);
                return;
            }

            options.User = user;
            options.Password = SqlCredential.Password;

            // Parameters given beside the string win over it.
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(Port))) options.Port = Port;
            if (bound.ContainsKey(nameof(SslMode))) options.SslMode = SslMode;
            if (bound.ContainsKey(nameof(SslCa))) options.SslCa = SslCa;
            if (bound.ContainsKey(nameof(TlsVersion))) options.TlsVersions = TlsVersion ?? new string[0];
            if (bound.ContainsKey(nameof(TlsCipherSuite))) options.TlsCipherSuites = TlsCipherSuite ?? new string[0];
            if (bound.ContainsKey(nameof(Database))) options.Database = Database;
            if (bound.ContainsKey(nameof(ConnectTimeout))) options.ConnectTimeoutSeconds = ConnectTimeout;
            options.SslCa = ResolveFilePath(options.SslCa);
            Open(options);
        }

        private void Open(SqlConnectionOptions options)
        {
            var endpoint = options.Endpoint;
            var port = options.Port;
            var mode = options.SslMode;
            WriteVerbose($"Connecting to {endpoint}:{port} as '{options.User}' with SslMode {mode}{(options.SslCa == null ? string.Empty : " and CA file " + options.SslCa)}.");
            var fallback = options.PasswordProvider == null ? SqlSslModes.PasswordWarning(mode, endpoint, port) : null;
            if (fallback != null)
            {
                WriteWarning(fallback);
            }

            try
            {
                var session = Await(AuroraConnectionFactory.OpenAsync(options, CancellationToken));
                if (!session.Encrypted)
                {
                    WriteWarning($"The session to {endpoint}:{port} is not encrypted. Use -SslMode VerifyFull -SslCa <RDS CA bundle> for a verified TLS connection.");
                }
                else if (mode < SqlSslMode.VerifyFull)
                {
                    WriteWarning($"The session to {endpoint}:{port} is encrypted but SslMode {mode} does not verify {(mode == SqlSslMode.VerifyCA ? "the host name" : "the server's certificate")}.");
                }

                WriteObject(session);
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, endpoint);
            }
        }
    }
}
