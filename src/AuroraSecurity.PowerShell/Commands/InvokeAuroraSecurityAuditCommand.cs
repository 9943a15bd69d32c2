using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Rds;

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

        /// <summary>Fewest days of automated backups the backup retention check accepts.</summary>
        [Parameter]
        [ValidateRange(1, 35)]
        public int MinimumBackupRetentionDays { get; set; } = AuditSettings.Default.MinimumBackupRetentionDays;

        /// <summary>RDS requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        /// <summary>Replaces EC2 client creation (tests only).</summary>
        internal static Func<AwsContext, IEc2Api>? Ec2ApiFactoryOverride { get; set; }

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
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var checks = SecurityCheckCatalog.Select(CheckId);
            var context = ResolveAwsContext();
            var settings = new AuditSettings { MinimumBackupRetentionDays = MinimumBackupRetentionDays };
            IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>> outcomes;
            var ec2 = checks.Any(c => c.Evidence == CheckEvidence.SecurityGroups) ? Ec2ApiFactoryOverride?.Invoke(context) ?? context.CreateEc2Client() : null;
            try
            {
                var runner = new SecurityAuditRunner(GetRdsApi(), context.Region, null, ec2, settings);
                outcomes = Await(ct => runner.RunAsync(ListAll ? null : RequestedClusters, checks, ct, ThrottleLimit));
            }
            catch (AuroraSecurityException e)
            {
                ThrowFailure(e, null);
                return;
            }
            finally
            {
                (ec2 as System.IDisposable)?.Dispose();
            }

            foreach (var outcome in outcomes)
            {
                if (!outcome.Succeeded)
                {
                    WriteFailure(outcome.Error!, outcome.Identifier);
                    continue;
                }

                foreach (var finding in outcome.Value!) WriteObject(finding);
            }
        }
    }
}
