using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Turns on IAM database authentication for clusters (ModifyDBCluster, applied immediately).</summary>
    [Cmdlet(VerbsLifecycle.Enable, "AuroraIamAuthentication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class EnableAuroraIamAuthenticationCommand : ClusterChangeCmdletBase
    {
        /// <inheritdoc />
        protected override Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, CancellationToken cancellationToken) =>
            Task.FromResult(Changer.PlanIamAuthentication(cluster, true));
    }
}
