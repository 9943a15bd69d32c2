using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists Aurora MySQL clusters, or describes the named ones, in one or more accounts and regions; clusters of other engines are skipped or refused.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraCluster")]
    [OutputType(typeof(AuroraCluster))]
    public sealed class GetAuroraClusterCommand : ClusterCmdletBase
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var targets = PlanRegionTargets();
            if (targets.Count > 1 || (targets.Count == 1 && targets[0].RoleArn != null))
            {
                RunTargets<AuroraCluster>(targets, ThrottleLimit, "Reading Aurora MySQL clusters",
                    (target, context, ct) => new AuroraClusterService(GetRdsApi(context), context.Region).GetClustersAsync(target.Names, ct, ThrottleLimit),
                    WriteObject);
                return;
            }

            foreach (var target in targets)
            {
                foreach (var outcome in ReadClusters(CreateClusterService(target.Region), target))
                {
                    if (outcome.Succeeded) WriteObject(outcome.Value);
                    else WriteFailure(outcome.Error!, outcome.Identifier);
                }
            }
        }
    }
}
