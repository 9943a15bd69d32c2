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
        private readonly Dictionary<string, ClusterSecurityChanger> _changers = new Dictionary<string, ClusterSecurityChanger>(StringComparer.Ordinal);
        private ClusterSecurityChanger? _current;

        /// <summary>Cluster identifiers or ARNs; binds ClusterIdentifier, DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>Makes the change without asking (unless -Confirm is given), also when it reaches clusters that were not named or moves a cluster to a new group; -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Warn (not only say in ChangeNote) after applying, for changes that lock clients out or lower security.</summary>
        protected virtual bool WarnAfterApply => false;

        /// <summary>
        /// The domain service for the cluster being handled (its region); it remembers which clusters use which group until a change is applied.
        /// </summary>
        protected ClusterSecurityChanger Changer => _current ??= ChangerFor(null);

        private readonly List<(Func<ClusterChangePlan?> Plan, object Target, string? Region)> _pending = new List<(Func<ClusterChangePlan?> Plan, object Target, string? Region)>();
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

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

                string? region;
                try
                {
                    // A cluster named by ARN is looked up and changed in the ARN's region only.
                    region = ClusterArn.LooksLikeArn(name) ? RegionForArn(ClusterArn.Parse(name)) : null;
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, EchoedInput.Shorten(name));
                    continue;
                }

                var given = name;
                Enqueue(() =>
                {
                    var cluster = FindCluster(given);
                    return cluster == null ? null : Await(ct => PlanForClusterAsync(cluster, ct));
                }, EchoedInput.Shorten(given), region);
            }
        }

        /// <summary>
        /// Queues a change for <paramref name="region"/> (null: the region resolved as usual); all are planned first and applied
        /// in EndProcessing, so clusters that share a group are changed once.
        /// </summary>
        protected void Enqueue(Func<ClusterChangePlan?> plan, object target, string? region = null) => _pending.Add((plan, target, region));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // Plan every cluster against the state before any change, then send each distinct change once:
            // two clusters piped in that share a group get one request, one -WhatIf line and one result each.
            var plans = new List<(ClusterChangePlan Plan, object Target, ClusterSecurityChanger Changer)>();
            foreach (var (makePlan, target, region) in _pending)
            {
                try
                {
                    _current = ChangerFor(region);
                    var plan = makePlan();
                    if (plan != null) plans.Add((plan, target, _current));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, target);
                }
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (plan, target, changer) in plans)
            {
                if (!seen.Add(changer.Region + "\u0001" + MergeKey(plan)))
                {
                    WriteVerbose($"{target}: the same change of {plan.Target} is already on its way for another cluster piped in; sent once.");
                    continue;
                }

                try
                {
                    _current = changer;
                    Execute(plan, target);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, target);
                }
            }
        }

        // Parameter changes of one group are one change whichever cluster asked; IAM and new groups are per cluster.
        private static string MergeKey(ClusterChangePlan plan) =>
            plan.EnableIamDatabaseAuthentication == null && !plan.CreatesParameterGroup
                ? "group\u0001" + plan.ParameterGroupName + "\u0001" + plan.Action
                : "cluster\u0001" + plan.ClusterIdentifier + "\u0001" + plan.Action;

        private ClusterSecurityChanger ChangerFor(string? region)
        {
            var context = ResolveAwsContext(region);
            if (!_changers.TryGetValue(context.Region, out var changer))
            {
                changer = new ClusterSecurityChanger(GetRdsApi(region), context.Region);
                _changers[context.Region] = changer;
            }

            return changer;
        }

        /// <summary>Checks the change for one cluster and works out what to send; reads only.</summary>
        protected abstract System.Threading.Tasks.Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, System.Threading.CancellationToken cancellationToken);

        /// <summary>The warning given after a change for each cluster it reached, or null for none (for changes that lock clients out or lower security).</summary>
        protected virtual string? WarningAfterChange(ClusterChangePlan plan, AuroraTlsConfig result) =>
            WarnAfterApply
                ? result.Change == ChangeOutcome.Pending
                    ? $"{result.ClusterIdentifier}: pending: {result.PendingChange}. Once in effect: {plan.Note}"
                    : $"{result.ClusterIdentifier}: {plan.Note}"
                : null;

        /// <summary>Confirms, applies and reports one plan; nothing is sent for an unchanged value or under -WhatIf.</summary>
        protected void Execute(ClusterChangePlan plan, object target)
        {
            if (plan.IsUnchanged)
            {
                WriteVerbose($"{plan.Target}: already in place, nothing sent ({plan.Action}).");
                WriteResults(plan, ChangeOutcome.Unchanged, target, null);
                return;
            }

            // A change that reaches clusters not named, or moves a cluster to a new group, is asked about once more unless -Force.
            string? question = null;
            if (plan.ReachesOtherClusters || plan.CreatesParameterGroup)
            {
                question = plan.CreatesParameterGroup
                    ? $"{plan.Action} Continue?"
                    : $"This changes every cluster that uses the group: {string.Join(", ", plan.Clusters)}. Continue?";
            }

            var confirmed = ConfirmUnlessForced(Force, plan.Target, plan.Action, target, $"{plan.Target}: {plan.Action}.",
                "Change the TLS posture of Aurora MySQL clusters", question, "The change reaches beyond the cluster named");
            if (confirmed != ConfirmOutcome.Proceed)
            {
                if (confirmed == ConfirmOutcome.WhatIf) WriteResults(plan, ChangeOutcome.WhatIf, target, null);
                return;
            }

            // From here until the results are written nothing may prompt: a change that was made is always reported.
            var sent = Await(ct => Changer.ApplyAsync(plan, ct));
            WriteResults(plan, ChangeOutcome.Applied, target, sent);
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

        private void WriteResults(ClusterChangePlan plan, ChangeOutcome outcome, object target, string? sent)
        {
            IReadOnlyList<ClusterOutcome<AuroraTlsConfig>> results;
            try
            {
                results = Await(ct => Changer.ReadBackAsync(plan, outcome, ct, sent));
            }
            catch (AuroraSecurityException e) when (outcome == ChangeOutcome.Applied)
            {
                WriteFailure(new AuroraSecurityException(e.ErrorId, e.Kind, $"Sent: {sent}. RDS accepted the request; reading the result back then failed: {e.Message}", e), target);
                return;
            }

            if (results.Count == 0) WriteVerbose($"No cluster uses {plan.ParameterGroupName}; there is nothing to report beyond the group.");
            var warnings = new List<string>();
            foreach (var result in results)
            {
                if (!_written.Add(result.Identifier ?? string.Empty)) continue;
                if (result.Succeeded)
                {
                    WriteObject(WithChangeView(result.Value!));
                    if (outcome == ChangeOutcome.Applied)
                    {
                        var warning = WarningAfterChange(plan, result.Value!);
                        if (warning != null) warnings.Add(warning);
                    }
                }
                else
                {
                    WriteFailure(result.Error!, result.Identifier ?? target);
                }
            }

            // Warnings come after every result: under -Debug a host may turn a warning into a prompt, and a host that
            // cannot prompt must not lose a result of a change that was made.
            foreach (var warning in warnings) SafeWarning(warning);
        }

        /// <summary>
        /// Writes a warning after a change. Where the warning would have to prompt (-Debug makes a compiled cmdlet's warnings
        /// Inquire, as does -WarningAction Inquire), a host that cannot prompt would abort the pipeline after the change was made;
        /// such a warning is written to the host directly instead, and to the debug stream, so it is seen and nothing stops.
        /// </summary>
        protected void SafeWarning(string text)
        {
            if (!WarningWouldPrompt())
            {
                WriteWarning(text);
                return;
            }

            try
            {
                Host.UI.WriteWarningLine(text);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                // A host without a UI: the debug stream still carries it.
            }

            WriteDebug("WARNING: " + text);
        }

        private bool WarningWouldPrompt()
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.TryGetValue("WarningAction", out var action)) return IsInquire(action);
            if (bound.TryGetValue("Debug", out var debug) && (debug is SwitchParameter s ? s.IsPresent : debug is bool b && b)) return true;
            return IsInquire(SessionState.PSVariable.GetValue("WarningPreference"));
        }

        private static bool IsInquire(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value is ActionPreference preference ? preference == ActionPreference.Inquire
                : string.Equals(value?.ToString(), nameof(ActionPreference.Inquire), StringComparison.OrdinalIgnoreCase);
        }
    }
}
