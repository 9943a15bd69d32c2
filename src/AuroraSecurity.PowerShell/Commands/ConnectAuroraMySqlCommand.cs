using System.Management.Automation;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Opens a SQL session to an Aurora MySQL endpoint, verifying TLS (chain and host name) by default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "AuroraMySql", DefaultParameterSetName = PasswordSet)]
    [OutputType(typeof(AuroraSqlSession))]
    public sealed class ConnectAuroraMySqlCommand : SqlConnectionCmdlet
    {
        /// <summary>The cluster, instance or proxy endpoint; first on the command line, and bound by property name from a cluster.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IamSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ManagedMasterSecretSet)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public override string? Endpoint { get => base.Endpoint; set => base.Endpoint = value; }

        /// <summary>The port; bound by property name with the endpoint.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PasswordSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IamSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ConnectionStringSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ManagedMasterSecretSet)]
        [ValidateRange(1, 65535)]
        public override int Port { get => base.Port; set => base.Port = value; }

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
            SqlConnectionOptions options;
            try
            {
                options = ConnectionOptions();
            }
            catch (System.Exception e) when (IsFailure(e) && ParameterSetName == ManagedMasterSecretSet)
            {
                // One cluster whose login cannot be read does not stop the others piped in.
                WriteFailure(e, ClusterIdentifier);
                return;
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                return;
            }

            // A connection string keeps its own database and timeout unless these are given beside it.
            var bound = MyInvocation.BoundParameters;
            if (ParameterSetName != ConnectionStringSet || bound.ContainsKey(nameof(Database))) options.Database = Database;
            if (ParameterSetName != ConnectionStringSet || bound.ContainsKey(nameof(ConnectTimeout))) options.ConnectTimeoutSeconds = ConnectTimeout;
            Open(options);
        }

        private void Open(SqlConnectionOptions options)
        {
            try
            {
                WriteObject(OpenConnection(options));
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, options.Endpoint);
            }
        }
    }
}
