using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Sets tls_version (the lowest TLS protocol allowed) on Aurora MySQL version 2 clusters; applied at the next reboot.</summary>
    [Cmdlet(VerbsCommon.Set, "AuroraTlsVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class SetAuroraTlsVersionCommand : TlsParameterCmdletBase
    {
        /// <summary>TLSv1.2 (1.2 only), TLSv1.1 (1.1 and 1.2) or TLSv1 (1.0, 1.1 and 1.2).</summary>
        [Parameter(Mandatory = true)]
        [ValidateSet("TLSv1.2", "TLSv1.1", "TLSv1")]
        public string MinimumTlsVersion { get; set; } = string.Empty;

        /// <inheritdoc />
        /// <remarks>Allowing TLSv1 or TLSv1.1 lowers the floor: warn, as Disable-AuroraSecureTransport does.</remarks>
        protected override bool WarnAfterApply => !string.Equals(MinimumTlsVersion, "TLSv1.2", System.StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        protected override TlsParameterChange CreateChange() => TlsParameterChange.TlsVersion(MinimumTlsVersion);
    }
}
