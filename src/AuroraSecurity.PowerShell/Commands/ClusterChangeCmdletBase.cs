using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for the change cmdlets: clusters named by parameter or pipeline, all planned first, then each distinct change confirmed, applied and read back once.</summary>
    public abstract class ClusterChangeCmdletBase : ClusterChangingCmdlet
    {
        protected const string ClusterSet = "Cluster";
        private readonly Dictionary<string, ClusterSecurityChanger> _changers = new Dictionary<string, ClusterSecurityChanger>(StringComparer.Ordinal);
        private ClusterSecurityChanger? _current;

        /// <summary>Cluster identifiers or ARNs; binds ClusterIdentifier, DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>Warn (not only say in ChangeNote) after applying, for changes that lock clients out or lower security.</summary>
        protected virtual bool WarnAfterApply => false;

        /// <summary>
        /// The domain service for the cluster being handled (its region); it remembers which clusters use which group until a change is applied.
        /// </summary>
        protected ClusterSecurityChanger Changer => _current ??= ChangerFor(null);

        private readonly List<(Func<ClusterChangePlan?> Plan, object Target, string? Region)> _pending = new List<(Func<ClusterChangePlan?> Plan, object Target, string? Region)>();

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

        /// <inheritdoc />
        protected override string? WarningAfterChange(ClusterChangePlan plan, AuroraTlsConfig result) =>
            WarnAfterApply
                ? result.Change == ChangeOutcome.Pending
                    ? $"{result.ClusterIdentifier}: pending: {result.PendingChange}. Once in effect: {plan.Note}"
                    : $"{result.ClusterIdentifier}: {plan.Note}"
                : null;

        /// <summary>Confirms, applies and reports one plan; nothing is sent for an unchanged value or under -WhatIf.</summary>
        protected void Execute(ClusterChangePlan plan, object target) => ExecuteChange(Changer, plan, target, new ChangeWording());

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
    }
}
