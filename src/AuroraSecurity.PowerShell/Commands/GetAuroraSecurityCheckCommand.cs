using System.Management.Automation;
using AuroraSecurity.Audit;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists the checks Invoke-AuroraSecurityAudit runs: id, title, severity and recommendation.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraSecurityCheck")]
    [OutputType(typeof(SecurityCheck))]
    public sealed class GetAuroraSecurityCheckCommand : AuroraCmdlet
    {
        /// <summary>Only these checks; every check when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[]? CheckId { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                foreach (var check in SecurityCheckCatalog.Select(CheckId)) WriteObject(check);
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                WriteFailure(e, CheckId);
            }
        }
    }
}
