using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AuroraSecurity.Clusters;
using AuroraSecurity.Tls;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Sets ssl_cipher, the cipher suites a cluster accepts, after checking each against the cluster's engine version; applied at the next reboot.</summary>
    [Cmdlet(VerbsCommon.Set, "AuroraCipherSuite", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ClusterSet)]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class SetAuroraCipherSuiteCommand : TlsParameterCmdletBase
    {
        /// <summary>OpenSSL cipher names from the Aurora MySQL cipher table, in order of preference.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CipherCompleter))]
        public string[] Cipher { get; set; } = new string[0];

        /// <inheritdoc />
        protected override TlsParameterChange CreateChange() => TlsParameterChange.SslCipher(Cipher);
    }
}
