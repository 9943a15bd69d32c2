using System.Collections.Generic;
using System.Linq;
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
            if (ClusterIdentifier == null) return;
            foreach (var name in ClusterIdentifier)
            {
                if (PipelineInputName.IsUnnamedObject(name))
                {
                    WriteFailure(PipelineInputName.NoIdentifier(name), name);
                    continue;
                }

                _requested.Add(name);
            }
        }

        /// <summary>Says so when a region-wide listing found no Aurora MySQL cluster: silence would read as "all is well".</summary>
        protected void WarnIfRegionEmpty(int found, string? region = null)
        {
            if (!ListAll || found > 0) return;
            WriteWarning($"No Aurora MySQL clusters in {ResolveAwsContext(region).Region} (DescribeDBClusters listed none with engine aurora-mysql or aurora). Check -Region and the account the credentials belong to.");
        }

        /// <summary>
        /// Where the named clusters are: a cluster named by ARN goes to the ARN's region (refused when -Region says otherwise);
        /// the others go to the region resolved as usual. Refusals are written here, one per ARN.
        /// </summary>
        protected IReadOnlyList<RegionTarget> PlanRegionTargets()
        {
            if (ListAll) return new[] { new RegionTarget(null, null) };
            var byRegion = new List<RegionTarget>();
            var plain = new List<string>();
            foreach (var name in _requested)
            {
                if (!ClusterArn.LooksLikeArn(name))
                {
                    plain.Add(name);
                    continue;
                }

                ClusterArn arn;
                string region;
                try
                {
                    arn = ClusterArn.Parse(name);
                    region = RegionForArn(arn);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, EchoedInput.Shorten(name));
                    continue;
                }

                var target = byRegion.FirstOrDefault(t => t.Region == region);
                if (target == null) byRegion.Add(target = new RegionTarget(region, new List<string>()));
                target.Names!.Add(arn.Text);
            }

            if (plain.Count > 0) byRegion.Insert(0, new RegionTarget(null, plain));
            return byRegion;
        }

        /// <summary>The domain service over this invocation's RDS client and region (or <paramref name="region"/>).</summary>
        protected AuroraClusterService CreateClusterService(string? region = null)
        {
            var rds = GetRdsApi(region);
            return new AuroraClusterService(rds, ResolveAwsContext(region).Region);
        }

        /// <summary>Clusters to read in one region: null names mean every cluster there; a null region means the one resolved as usual.</summary>
        protected sealed class RegionTarget
        {
            public RegionTarget(string? region, List<string>? names)
            {
                Region = region;
                Names = names;
            }

            public string? Region { get; }

            public List<string>? Names { get; }
        }
    }
}
