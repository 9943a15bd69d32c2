using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// The one declaration of the SQL connection parameters, for Connect-AuroraMySql and every SQL cmdlet: an endpoint with a
    /// password (-SqlCredential), with IAM database authentication (-IamAuthentication -DbUser, signed with the AWS
    /// credential and region parameters), or a connection string; and the TLS settings beside each.
    /// </summary>
    public abstract class SqlConnectionCmdlet : AwsCmdletBase
    {
        /// <summary>The parameter set for an endpoint and a password.</summary>
        protected const string PasswordSet = "Password";

        /// <summary>The parameter set for an endpoint and IAM database authentication.</summary>
        protected const string IamSet = "Iam";

        /// <summary>The parameter set for a connection string and a password.</summary>
        protected const string ConnectionStringSet = "ConnectionString";

        /// <summary>The parameter set for a cluster whose master login RDS manages in Secrets Manager.</summary>
        protected const string ManagedMasterSecretSet = "ManagedMasterSecret";

        /// <summary>The cluster, instance or proxy endpoint.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public virtual string? Endpoint { get; set; }

        /// <summary>The port.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ConnectionStringSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        [ValidateRange(1, 65535)]
        public virtual int Port { get; set; } = 3306;

        /// <summary>A MySqlConnector connection string (as Get-AuroraConnectionGuide writes it) without a password; the password comes from -SqlCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
        [ValidateNotNullOrEmpty]
        public string? ConnectionString { get; set; }

        /// <summary>The database user and password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
        [Credential]
        public PSCredential? SqlCredential { get; set; }

        /// <summary>Log in with IAM database authentication: a fresh token from the AWS credentials for each connection.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IamSet)]
        public SwitchParameter IamAuthentication { get; set; }

        /// <summary>The IAM-enabled database user.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IamSet)]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string? DbUser { get; set; }

        /// <summary>The cluster whose master login, from its RDS-managed secret, -UseManagedMasterSecret logs in with.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedMasterSecretSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string? ClusterIdentifier { get; set; }

        /// <summary>
        /// Log in as the cluster's master user with the login RDS manages for it in Secrets Manager (MasterUserSecret), read with
        /// secretsmanager:GetSecretValue; the cluster's writer endpoint and port unless -Endpoint and -Port are given.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedMasterSecretSet)]
        public SwitchParameter UseManagedMasterSecret { get; set; }

        /// <summary>The CA bundle to verify the server against.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ConnectionStringSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly TLS is enforced; VerifyFull unless lowered on purpose.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ConnectionStringSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        public SqlSslMode SslMode { get => (SqlSslMode)sslMode; set => sslMode = (int)value; }

        // A number, not the engine's enum: a field of an engine type would load the engine when PowerShell lists this
        // assembly's types at import, before the module's resolver for it is in place (see ModuleInitializer).
        private int sslMode = (int)SqlSslMode.VerifyFull;

        /// <summary>TLS protocols the client may use.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ConnectionStringSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        [ValidateSet("TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")]
        public string[]? TlsVersion { get; set; }

        /// <summary>Cipher suites the client may use, in OpenSSL spelling or IANA names.</summary>
        [Parameter(ParameterSetName = PasswordSet)]
        [Parameter(ParameterSetName = IamSet)]
        [Parameter(ParameterSetName = ConnectionStringSet)]
        [Parameter(ParameterSetName = ManagedMasterSecretSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CipherCompleter))]
        public string[]? TlsCipherSuite { get; set; }

        /// <summary>
        /// The connection the parameters describe: the endpoint's or the connection string's (parameters given beside the string
        /// win over it), with the TLS settings, and the login: the password of -SqlCredential, or under -IamAuthentication a
        /// provider that signs a fresh token per physical connection (the token is never kept, shown or logged).
        /// </summary>
        protected SqlConnectionOptions ConnectionOptions()
        {
            if (ParameterSetName == ConnectionStringSet)
            {
                return FromConnectionString();
            }

            if (ParameterSetName == ManagedMasterSecretSet)
            {
                return FromManagedMasterSecret();
            }

            var options = new SqlConnectionOptions
            {
                Endpoint = Endpoint ?? string.Empty,
                Port = Port,
                SslMode = SslMode,
                SslCa = ResolveFilePath(SslCa),
                TlsVersions = TlsVersion ?? new string[0],
                TlsCipherSuites = TlsCipherSuite ?? new string[0],
            };
            if (IamAuthentication.IsPresent)
            {
                var context = ResolveAwsContext();
                IamDatabaseAuthentication.Apply(options, context.Credentials, context.Region, DbUser ?? string.Empty);
            }
            else
            {
                options.User = SqlCredential?.UserName ?? string.Empty;
                options.Password = SqlCredential?.Password;
            }

            return options;
        }

        /// <summary>
        /// Opens the connection: says where it goes (-Verbose), warns before a password login that may travel unencrypted,
        /// and after it when the session is not encrypted or not verified.
        /// </summary>
        protected AuroraSqlSession OpenConnection(SqlConnectionOptions options)
        {
            var endpoint = options.Endpoint;
            var port = options.Port;
            var mode = options.SslMode;
            var login = options.PasswordProvider == null ? string.Empty : " with an IAM auth token";
            WriteVerbose($"Connecting to {endpoint}:{port} as '{options.User}'{login} with SslMode {mode}{(options.SslCa == null ? string.Empty : " and CA file " + options.SslCa)}.");
            var fallback = options.PasswordProvider == null ? SqlSslModes.PasswordWarning(mode, endpoint, port) : null;
            if (fallback != null)
            {
                WriteWarning(fallback);
            }

            var session = Await(AuroraConnectionFactory.OpenAsync(options, CancellationToken));
            if (!session.Encrypted)
            {
                WriteWarning($"The session to {endpoint}:{port} is not encrypted. Use -SslMode VerifyFull -SslCa <RDS CA bundle> for a verified TLS connection.");
            }
            else if (mode < SqlSslMode.VerifyFull)
            {
                WriteWarning($"The session to {endpoint}:{port} is encrypted but SslMode {mode} does not verify {(mode == SqlSslMode.VerifyCA ? "the host name" : "the server's certificate")}.");
            }

            return session;
        }

        // The cluster from RDS, then its master login from its secret (only when RDS says the secret is active); the password goes only into the session.
        private SqlConnectionOptions FromManagedMasterSecret()
        {
            var context = ResolveAwsContext();
            var service = new AuroraClusterService(GetRdsApi(context), context.Region);
            var outcome = Await(ct => service.GetClustersAsync(new[] { ClusterIdentifier ?? string.Empty }, ct)).Single();
            if (!outcome.Succeeded) throw outcome.Error!;
            var cluster = outcome.Value!;
            var bound = MyInvocation.BoundParameters;
            var endpoint = bound.ContainsKey(nameof(Endpoint)) ? Endpoint : cluster.Endpoint;
            if (string.IsNullOrEmpty(endpoint)) throw SqlAccess.NoEndpoint(cluster).Error!;
            ManagedMasterCredential login;
            using (var secrets = SecretsManagerClient.For(context))
            {
                login = Await(ct => ManagedMasterSecret.ReadAsync(secrets, cluster.ClusterIdentifier, cluster.MasterUserSecretArn, cluster.MasterUserSecretStatus, ct));
            }

            WriteVerbose($"The master login of cluster '{cluster.ClusterIdentifier}' comes from its RDS-managed secret {login.SecretArn} (version {login.VersionId ?? "unknown"}).");
            return new SqlConnectionOptions
            {
                Endpoint = endpoint!,
                Port = bound.ContainsKey(nameof(Port)) ? Port : cluster.Port ?? 3306,
                User = login.UserName,
                Password = login.Password,
                SslMode = SslMode,
                SslCa = ResolveFilePath(SslCa),
                TlsVersions = TlsVersion ?? new string[0],
                TlsCipherSuites = TlsCipherSuite ?? new string[0],
            };
        }

        private SqlConnectionOptions FromConnectionString()
        {
            var options = SqlConnectionString.Parse(ConnectionString!);
            var user = SqlCredential?.UserName ?? string.Empty;
            if (options.User.Length > 0 && !string.Equals(options.User, user, System.StringComparison.Ordinal))
            {
                throw new AuroraSecurityException("ConnectionStringUserMismatch", FailureKind.InvalidArgument,
                    $"The connection string names user '{options.User}' but -SqlCredential is for '{user}'. Give the credential of '{options.User}', or remove User ID from the string.");
            }

            options.User = user;
            options.Password = SqlCredential?.Password;

            // Parameters given beside the string win over it.
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(Port))) options.Port = Port;
            if (bound.ContainsKey(nameof(SslMode))) options.SslMode = SslMode;
            if (bound.ContainsKey(nameof(SslCa))) options.SslCa = SslCa;
            if (bound.ContainsKey(nameof(TlsVersion))) options.TlsVersions = TlsVersion ?? new string[0];
            if (bound.ContainsKey(nameof(TlsCipherSuite))) options.TlsCipherSuites = TlsCipherSuite ?? new string[0];
            options.SslCa = ResolveFilePath(options.SslCa);
            return options;
        }
    }
}
