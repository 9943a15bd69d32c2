using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists Aurora MySQL clusters, or describes the named ones, in one or more accounts and regions; clusters of other engines are skipped or refused.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraCluster")]
    [OutputType(typeof(AuroraCluster))]
    public sealed class GetAuroraClusterCommand : ClusterCmdletBase
    {
        /// <summary>RDS requests in flight at once, over every account and region.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRegions => true;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRoles => true;

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
                var service = CreateClusterService(target.Region);
                System.Collections.Generic.IReadOnlyList<ClusterOutcome<AuroraCluster>> outcomes;
                try
                {
                    outcomes = Await(ct => service.GetClustersAsync(target.Names, ct, ThrottleLimit));
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
