using System.Management.Automation;
using AuroraSecurity.Audit;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists the checks Invoke-AuroraSecurityAudit runs: id, title, severity, references to FSBP, CIS and Prowler, and recommendation.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraSecurityCheck")]
    [OutputType(typeof(SecurityCheck))]
    public sealed class GetAuroraSecurityCheckCommand : AuroraCmdlet
    {
        /// <summary>Only these checks; every check when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CheckIdCompleter))]
        public string[]? CheckId { get; set; }

        /// <summary>Only checks that name a control of this framework: FSBP (Security Hub), CIS (AWS Foundations) or Prowler.</summary>
        [Parameter]
        [ValidateSet("FSBP", "CIS", "Prowler")]
        public string? Framework { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var checks = SecurityCheckCatalog.Select(CheckId);
                if (Framework != null) checks = SecurityCheckCatalog.ReferencedBy(checks, Framework);
                foreach (var check in checks) WriteObject(check);
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                WriteFailure(e, CheckId);
            }
        }
    }
}
