using System.Management.Automation;
using AuroraSecurity.Engine;
using AuroraSecurity.Tls;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists the cipher suites Aurora MySQL accepts in ssl_cipher, and which a given release supports.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraSupportedCipher")]
    [OutputType(typeof(SupportedCipherInfo))]
    public sealed class GetAuroraSupportedCipherCommand : AuroraCmdlet
    {
        /// <summary>An engine version in any form RDS reports.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(EngineVersionCompleter))]
        public string? EngineVersion { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AuroraEngineVersion? version = null;
            if (EngineVersion != null && !AuroraEngineVersion.TryParse(EngineVersion, out version, out var error))
            {
                WriteFailure(new AuroraSecurityException("EngineVersionInvalid", FailureKind.InvalidArgument, error!), EngineVersion);
                return;
            }

            foreach (var cipher in SupportedCipherInfo.For(version))
            {
                WriteObject(cipher);
            }
        }
    }
}
