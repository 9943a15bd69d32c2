using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists Aurora MySQL clusters, or describes the named ones; clusters of other engines are skipped or refused.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraCluster")]
    [OutputType(typeof(AuroraCluster))]
    public sealed class GetAuroraClusterCommand : ClusterCmdletBase
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            foreach (var target in PlanRegionTargets())
            {
                var service = CreateClusterService(target.Region);
                System.Collections.Generic.IReadOnlyList<ClusterOutcome<AuroraCluster>> outcomes;
                try
                {
                    outcomes = Await(ct => service.GetClustersAsync(target.Names, ct));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, null);
                    return;
                }

                WarnIfRegionEmpty(outcomes.Count, target.Region);
                foreach (var outcome in outcomes)
                {
                    if (outcome.Succeeded) WriteObject(outcome.Value);
                    else WriteFailure(outcome.Error!, outcome.Identifier);
                }
            }
        }
    }
}
