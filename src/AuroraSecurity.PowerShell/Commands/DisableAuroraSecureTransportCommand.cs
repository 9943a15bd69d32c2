using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Sets require_secure_transport OFF in a cluster's parameter group: unencrypted connections are accepted again, no reboot needed.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "AuroraSecureTransport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class DisableAuroraSecureTransportCommand : TlsParameterCmdletBase
    {
        /// <inheritdoc />
        protected override bool WarnAfterApply => true;

        /// <inheritdoc />
        protected override TlsParameterChange CreateChange() => TlsParameterChange.RequireSecureTransport(false);
    }
}
