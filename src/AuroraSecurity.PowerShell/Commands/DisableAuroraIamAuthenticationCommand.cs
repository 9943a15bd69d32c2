using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Turns off IAM database authentication for clusters (ModifyDBCluster, applied immediately).</summary>
    [Cmdlet(VerbsLifecycle.Disable, "AuroraIamAuthentication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class DisableAuroraIamAuthenticationCommand : ClusterChangeCmdletBase
    {
        /// <inheritdoc />
        protected override bool WarnAfterApply => true;

        /// <inheritdoc />
        protected override Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, CancellationToken cancellationToken) =>
            Task.FromResult(Changer.PlanIamAuthentication(cluster, false));
    }
}
