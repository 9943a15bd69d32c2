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

        /// <summary>Says so when a region-wide listing found no Aurora MySQL cluster: silence would read as "all is well".</summary>
        protected void WarnIfRegionEmpty(int found)
        {
            if (!ListAll || found > 0) return;
            WriteWarning($"No Aurora MySQL clusters in {ResolveAwsContext().Region} (DescribeDBClusters listed none with engine aurora-mysql or aurora). Check -Region and the account the credentials belong to.");
        }

        /// <summary>The domain service over this invocation's RDS client and region.</summary>
        protected AuroraClusterService CreateClusterService()
        {
            var rds = GetRdsApi();
            return new AuroraClusterService(rds, ResolveAwsContext().Region);
        }
    }
}
