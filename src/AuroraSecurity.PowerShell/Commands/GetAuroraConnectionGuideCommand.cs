using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using AuroraSecurity.Guide;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Writes, per client, the exact command line, URL or connection string that connects securely to an Aurora MySQL cluster.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraConnectionGuide", DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(ClientConnectionGuide))]
    public sealed class GetAuroraConnectionGuideCommand : AwsCmdletBase
    {
        private const string ClusterSet = "Cluster";
        private const string EndpointSet = "Endpoint";

        private static readonly Regex RegionInHost = new Regex(@"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.rds\.amazonaws\.com(?:\.cn)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly List<string> _clusters = new List<string>();

        /// <summary>Cluster identifiers or ARNs; binds DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClusterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>An endpoint given by hand (no RDS call); the guide then cannot know the cluster's posture.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
        [Alias("Server", "Address", "SqlInstance")]
        [EndpointTransformation]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>The port of an endpoint given by hand.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 3306;

        /// <summary>The writer instance's endpoint, for clients that check only the certificate's Common Name.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateNotNullOrEmpty]
        public string? WriterEndpoint { get; set; }

        /// <summary>The database user the commands log in as; a placeholder when not given.</summary>
        [Parameter]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string? DbUser { get; set; }

        /// <summary>Log in with an IAM database authentication token (needs -DbUser).</summary>
        [Parameter]
        public SwitchParameter IamAuthentication { get; set; }

        /// <summary>The CA bundle path the clients should name; the partition's bundle file name when not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>The default database.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Database { get; set; }

        /// <summary>Only these clients (mysql, mariadb, MySqlConnector, ConnectorJ, mysql-connector-python, PyMySQL, Connect-AuroraMySql, mysql-5.6).</summary>
        [Parameter]
        [ValidateSet(ConnectionGuideWriter.MySql, ConnectionGuideWriter.MariaDb, ConnectionGuideWriter.MySqlConnector, ConnectionGuideWriter.ConnectorJ,
            ConnectionGuideWriter.MySqlConnectorPython, ConnectionGuideWriter.PyMySql, ConnectionGuideWriter.ConnectAuroraMySql, ConnectionGuideWriter.MySql56,
            IgnoreCase = true)]
        public string[]? Client { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (IamAuthentication.IsPresent && string.IsNullOrWhiteSpace(DbUser))
            {
                ThrowFailure(new AuroraSecurityException("GuideIamUserMissing", FailureKind.InvalidArgument,
                    "-IamAuthentication needs -DbUser: the token is signed for one database user. Add -DbUser <user created WITH AWSAuthenticationPlugin>."), null);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == EndpointSet)
            {
                var region = RequestedRegions.FirstOrDefault() ?? RegionOf(Endpoint!);
                var facts = new ConnectionFacts { Endpoint = Endpoint!.Trim(), Port = Port, WriterEndpoint = WriterEndpoint, Region = region };
                WriteVerbose($"Writing the guide for {facts.Endpoint}:{Port} without reading RDS{(region == null ? string.Empty : " (region " + region + " from the host name or -Region)")}.");
                WriteGuides(facts, Endpoint);
                return;
            }

            if (ClusterIdentifier != null) _clusters.AddRange(ClusterIdentifier);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (ParameterSetName != ClusterSet || _clusters.Count == 0) return;
            var context = ResolveAwsContext();
            var reader = new ConnectionGuideReader(GetRdsApi(), context.Region);
            WriteVerbose($"Reading {string.Join(", ", _clusters)} from RDS in {context.Region}: endpoints, writer, cluster parameter group (TLS), instances (CA).");
            IReadOnlyList<Clusters.ClusterOutcome<ConnectionFacts>> outcomes;
            try
            {
                outcomes = Await(ct => reader.ReadAsync(_clusters, ct));
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                return;
            }

            foreach (var outcome in outcomes)
            {
                if (!outcome.Succeeded)
                {
                    WriteFailure(outcome.Error!, outcome.Identifier);
                    continue;
                }

                var facts = outcome.Value!;
                foreach (var gap in facts.Gaps) WriteWarning(gap);
                if (IamAuthentication.IsPresent && facts.IamDatabaseAuthenticationEnabled == false)
                {
                    WriteWarning($"IAM database authentication is off on cluster '{facts.ClusterIdentifier}': the token steps below fail until Enable-AuroraIamAuthentication turns it on.");
                }

                WriteGuides(facts, outcome.Identifier);
            }
        }

        private void WriteGuides(ConnectionFacts facts, object? target)
        {
            var options = new ConnectionGuideOptions
            {
                DbUser = DbUser,
                IamAuthentication = IamAuthentication.IsPresent,
                SslCa = SslCa,
                Database = Database,
                Clients = Client,
            };
            try
            {
                foreach (var guide in ConnectionGuideWriter.Write(facts, options)) WriteObject(guide);
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                WriteFailure(e, target);
            }
        }

        private static string? RegionOf(string endpoint)
        {
            var match = RegionInHost.Match(endpoint.Trim());
            return match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
        }
    }
}
