using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Sets require_secure_transport ON in a cluster's parameter group: connections without TLS are refused (error 3159), no reboot needed.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "AuroraSecureTransport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class EnableAuroraSecureTransportCommand : TlsParameterCmdletBase
    {
        /// <inheritdoc />
        protected override bool WarnAfterApply => true;

        /// <inheritdoc />
        protected override TlsParameterChange CreateChange() => TlsParameterChange.RequireSecureTransport(true);
    }
}
