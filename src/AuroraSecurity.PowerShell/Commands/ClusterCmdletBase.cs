using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for cmdlets that act on Aurora MySQL clusters named by identifier, ARN or pipeline objects (AWS.Tools' included).</summary>
    public abstract class ClusterCmdletBase : AwsCmdletBase
    {
        private readonly List<string> _requested = new List<string>();

        /// <summary>Cluster identifiers or ARNs; binds DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>The clusters named so far, from parameters and pipeline input, in arrival order.</summary>
        protected IReadOnlyList<string> RequestedClusters => _requested;

        /// <summary>
        /// True when the cmdlet should act on every Aurora MySQL cluster: nothing was named and nothing was piped
        /// (an empty pipeline means "none", never "all").
        /// </summary>
        protected bool ListAll => _requested.Count == 0 && !MyInvocation.ExpectingInput;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ClusterIdentifier != null) _requested.AddRange(ClusterIdentifier);
        }

        /// <summary>The domain service over this invocation's RDS client and region.</summary>
        protected AuroraClusterService CreateClusterService()
        {
            var rds = GetRdsApi();
            return new AuroraClusterService(rds, ResolveAwsContext().Region);
        }
    }
}
