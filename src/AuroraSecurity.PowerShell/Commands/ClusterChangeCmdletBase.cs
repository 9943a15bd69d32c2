using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for cmdlets that change clusters: names from parameters or the pipeline, ShouldProcess, -Force, and the result read back from RDS.</summary>
    public abstract class ClusterChangeCmdletBase : AwsCmdletBase
    {
        /// <summary>The type name the format file's change view is selected by.</summary>
        public const string ChangeViewTypeName = "AuroraSecurity.Clusters.AuroraTlsConfig#Change";

        protected const string ClusterSet = "Cluster";
        private readonly Dictionary<string, TlsPostureChanger> _changers = new Dictionary<string, TlsPostureChanger>(StringComparer.Ordinal);
        private TlsPostureChanger? _current;

        /// <summary>Cluster identifiers or ARNs; binds ClusterIdentifier, DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>Skips the extra confirmation asked when a change reaches clusters that were not named or moves a cluster to a new group.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Warn (not only say in ChangeNote) after applying, for changes that lock clients out.</summary>
        protected virtual bool WarnAfterApply => false;

        /// <summary>
        /// The domain service for the cluster being handled (its region); it remembers which clusters use which group until a change is applied.
        /// </summary>
        protected TlsPostureChanger Changer => _current ??= ChangerFor(null);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var name in ClusterIdentifier ?? new string[0])
            {
                if (string.IsNullOrWhiteSpace(name)) continue;
                if (PipelineInputName.IsUnnamedObject(name))
                {
                    WriteFailure(PipelineInputName.NoIdentifier(name), name);
                    continue;
                }

                try
                {
                    // A cluster named by ARN is looked up and changed in the ARN's region only.
                    _current = ChangerFor(ClusterArn.LooksLikeArn(name) ? RegionForArn(ClusterArn.Parse(name)) : null);
                    var cluster = FindCluster(name);
                    if (cluster == null) continue;
                    Execute(Await(ct => PlanForClusterAsync(cluster, ct)), name);
                }
                catch (AuroraSecurityException e)
                {
                    WriteFailure(e, EchoedInput.Shorten(name));
                }
            }
        }

        private TlsPostureChanger ChangerFor(string? region)
        {
            var context = ResolveAwsContext(region);
            if (!_changers.TryGetValue(context.Region, out var changer))
            {
                changer = new TlsPostureChanger(GetRdsApi(region), context.Region);
                _changers[context.Region] = changer;
            }

            return changer;
        }

        /// <summary>Checks the change for one cluster and works out what to send; reads only.</summary>
        protected abstract System.Threading.Tasks.Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, System.Threading.CancellationToken cancellationToken);

        /// <summary>Confirms, applies and reports one plan; nothing is sent for an unchanged value or under -WhatIf.</summary>
        protected void Execute(ClusterChangePlan plan, object target)
        {
            if (plan.IsUnchanged)
            {
                WriteVerbose($"{plan.Target}: already in place, nothing sent ({plan.Action}).");
                WriteResults(plan, ChangeOutcome.Unchanged, target);
                return;
            }

            if (!ShouldProcess($"{plan.Target}: {plan.Action}.", $"{plan.Target}: {plan.Action}?", "Change the TLS posture of Aurora MySQL clusters", out var reason))
            {
                if (reason == ShouldProcessReason.WhatIf) WriteResults(plan, ChangeOutcome.WhatIf, target);
                return;
            }

            if ((plan.ReachesOtherClusters || plan.CreatesParameterGroup) && !Force)
            {
                var question = plan.CreatesParameterGroup
                    ? $"{plan.Action} Continue?"
                    : $"This changes every cluster that uses the group: {string.Join(", ", plan.Clusters)}. Continue?";
                bool confirmed;
                try
                {
                    confirmed = ShouldContinue(question, "The change reaches beyond the cluster named");
                }
                catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException)
                {
                    // A host that cannot ask (pwsh -NonInteractive, a job) must not stop the whole pipeline.
                    WriteFailure(new AuroraSecurityException("ConfirmationNeeded", FailureKind.InvalidOperation,
                        $"{plan.Target}: {plan.Action}. This reaches beyond the cluster named and needs confirmation, which this host cannot ask for; nothing was sent. Add -Force to go ahead.", e), target);
                    return;
                }

                if (!confirmed) return;
            }

            Await(ct => Changer.ApplyAsync(plan, ct));
            WriteVerbose(plan.Note);
            if (WarnAfterApply) WriteWarning($"{plan.Target}: {plan.Note}");
            WriteResults(plan, ChangeOutcome.Applied, target);
        }

        private AuroraCluster? FindCluster(string name)
        {
            var outcomes = Await(ct => Changer.ClusterService.GetClustersAsync(new[] { name }, ct));
            foreach (var outcome in outcomes)
            {
                if (outcome.Succeeded) return outcome.Value;
                WriteFailure(outcome.Error!, name);
            }

            return null;
        }

        // The same type as Get-AuroraTlsConfig writes, shown with its Change column first.
        private static PSObject WithChangeView(AuroraTlsConfig config)
        {
            var wrapped = PSObject.AsPSObject(config);
            wrapped.TypeNames.Insert(0, ChangeViewTypeName);
            return wrapped;
        }

        private void WriteResults(ClusterChangePlan plan, ChangeOutcome outcome, object target)
        {
            IReadOnlyList<ClusterOutcome<AuroraTlsConfig>> results = Await(ct => Changer.ReadBackAsync(plan, outcome, ct));
            if (results.Count == 0) WriteVerbose($"No cluster uses {plan.ParameterGroupName}; there is nothing to report beyond the group.");
            foreach (var result in results)
            {
                if (result.Succeeded) WriteObject(WithChangeView(result.Value!));
                else WriteFailure(result.Error!, result.Identifier ?? target);
            }
        }
    }
}
