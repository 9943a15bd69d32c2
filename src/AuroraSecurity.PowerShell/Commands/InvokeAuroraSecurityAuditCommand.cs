using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Audits the security of Aurora MySQL clusters: one finding per check per cluster. Reads only.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AuroraSecurityAudit")]
    [OutputType(typeof(Finding))]
    public sealed class InvokeAuroraSecurityAuditCommand : ClusterCmdletBase
    {
        /// <summary>Only these checks (ids from Get-AuroraSecurityCheck); every check when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? CheckId { get; set; }

        /// <summary>A baseline file (.psd1 or .json): check settings, checks switched off, scopes and suppressions.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Baseline { get; set; }

        /// <summary>RDS requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        private AuditBaseline? _baseline;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            try
            {
                SecurityCheckCatalog.Select(CheckId);
            }
            catch (AuroraSecurityException e)
            {
                ThrowFailure(e, CheckId);
            }

            // A malformed baseline stops the audit before any request.
            if (Baseline == null) return;
            var path = ResolveFilePath(Baseline)!;
            try
            {
                _baseline = BaselineFile.Load(path);
            }
            catch (AuroraSecurityException e)
            {
                ThrowFailure(e, path);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var checks = SecurityCheckCatalog.Select(CheckId);
            var baseline = _baseline;
            var runner = new SecurityAuditRunner(GetRdsApi(), ResolveAwsContext().Region, settingsFor: baseline == null ? null : new System.Func<AuroraCluster, AuditSettings>(baseline.SettingsFor));
            IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>> outcomes;
            try
            {
                outcomes = Await(ct => runner.RunAsync(ListAll ? null : RequestedClusters, checks, ct, ThrottleLimit));
            }
            catch (AuroraSecurityException e)
            {
                ThrowFailure(e, null);
                return;
            }

            foreach (var outcome in outcomes)
            {
                if (!outcome.Succeeded)
                {
                    WriteFailure(outcome.Error!, outcome.Identifier);
                    continue;
                }

                foreach (var finding in outcome.Value!) WriteObject(baseline == null ? finding : baseline.Apply(finding, System.DateTime.UtcNow));
            }
        }
    }
}
