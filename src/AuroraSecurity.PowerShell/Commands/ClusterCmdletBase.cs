using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// Base for cmdlets that read Aurora MySQL clusters named by identifier, ARN or pipeline objects (AWS.Tools' included), or every cluster,
    /// in one or more accounts (-RoleArn) and regions at once, under one -ThrottleLimit.
    /// </summary>
    public abstract class ClusterCmdletBase : AwsCmdletBase
    {
        private static readonly TimeSpan ProgressDelay = TimeSpan.FromMilliseconds(250);

        private readonly List<string> _requested = new List<string>();

        /// <summary>Requests (and for the audit, SQL connections and probe handshakes) in flight at once, over every account and region.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        /// <summary>Cluster identifiers or ARNs; binds DBClusterIdentifier and DBClusterArn by property name.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterIdentifierCompleter))]
        public string[]? ClusterIdentifier { get; set; }

        /// <summary>The clusters named so far, from parameters and pipeline input, in arrival order.</summary>
        protected IReadOnlyList<string> RequestedClusters => _requested;

        /// <summary>
        /// True when the cmdlet should act on every Aurora MySQL cluster: nothing was named and nothing was piped
        /// (an empty pipeline means "none", never "all").
        /// </summary>
        protected bool ListAll => _requested.Count == 0 && !MyInvocation.ExpectingInput;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ClusterIdentifier == null) return;
            foreach (var name in ClusterIdentifier)
            {
                if (PipelineInputName.IsUnnamedObject(name))
                {
                    WriteFailure(PipelineInputName.NoIdentifier(name), name);
                    continue;
                }

                _requested.Add(name);
            }
        }

        /// <inheritdoc />
        protected override bool AcceptsSeveralRegions => true;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRoles => true;

        /// <summary>
        /// The clusters of one account and region, read on the pipeline thread: a failure of the whole listing (credentials, access) stops the
        /// cmdlet, and a region-wide listing that finds none says so.
        /// </summary>
        protected IReadOnlyList<ClusterOutcome<AuroraCluster>> ReadClusters(AuroraClusterService service, RegionTarget target)
        {
            IReadOnlyList<ClusterOutcome<AuroraCluster>> outcomes;
            try
            {
                outcomes = Await(ct => service.GetClustersAsync(target.Names, ct, ThrottleLimit));
            }
            catch (Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                throw;
            }

            WarnIfRegionEmpty(outcomes.Count, target.Region);
            return outcomes;
        }

        /// <summary>Says so when a region-wide listing found no Aurora MySQL cluster: silence would read as "all is well".</summary>
        protected void WarnIfRegionEmpty(int found, string? region = null)
        {
            if (!ListAll || found > 0) return;
            WriteWarning($"No Aurora MySQL clusters in {ResolveAwsContext(region).Region} (DescribeDBClusters listed none with engine aurora-mysql or aurora). Check -Region and the account the credentials belong to.");
        }

        /// <summary>
        /// Where the named clusters are, as (account, region) targets: a cluster named by ARN goes to the ARN's region (refused when -Region
        /// says otherwise) and, with several -RoleArn, to the role of the ARN's account; other names and "every cluster" go to every region
        /// and account asked for. Refusals are written here, one per ARN.
        /// </summary>
        protected IReadOnlyList<RegionTarget> PlanRegionTargets()
        {
            var regions = AcceptsSeveralRegions && RequestedRegions.Count > 1 ? RequestedRegions.Select(r => (string?)r).ToList() : new List<string?> { null };
            var roles = AcceptsSeveralRoles && RequestedRoles.Count > 0 ? RequestedRoles.Select(r => (string?)r).ToList() : new List<string?> { null };
            var targets = new List<RegionTarget>();
            RegionTarget TargetFor(string? region, string? role, bool all)
            {
                var found = targets.FirstOrDefault(t => t.Region == region && t.RoleArn == role);
                if (found == null) targets.Add(found = new RegionTarget(region, all ? null : new List<string>(), role));
                return found;
            }

            if (ListAll)
            {
                foreach (var role in roles) foreach (var region in regions) TargetFor(region, role, true);
                return targets;
            }

            var plain = new List<string>();
            var routed = new List<(string Region, string? Role, string Arn)>();
            foreach (var name in _requested)
            {
                if (!ClusterArn.LooksLikeArn(name))
                {
                    plain.Add(name);
                    continue;
                }

                try
                {
                    var arn = ClusterArn.Parse(name);
                    var region = RegionForArn(arn);
                    string? role = null;
                    if (roles[0] != null)
                    {
                        role = roles.FirstOrDefault(r => RoleAccount(r!) == arn.AccountId);
                        if (role == null)
                        {
                            throw AuroraClusterService.AccountMismatch(
                                $"'{EchoedInput.Shorten(arn.Text)}' names a cluster of account {arn.AccountId}, which none of the -RoleArn roles belongs to; nothing was read. Add a role in that account to -RoleArn.");
                        }
                    }

                    routed.Add((region, role, arn.Text));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, EchoedInput.Shorten(name));
                }
            }

            if (plain.Count > 0)
            {
                foreach (var role in roles) foreach (var region in regions) TargetFor(region, role, false).Names!.AddRange(plain);
            }

            foreach (var (region, role, arn) in routed) TargetFor(region, role, false).Names!.Add(arn);
            return targets;
        }

        /// <summary>
        /// Runs <paramref name="work"/> for every target at once (RDS requests bounded by one throttle for all of them), showing one progress
        /// display, and writes each target's results from the pipeline thread as soon as that target is done, so the first account and
        /// region that finishes is on screen while the others are still read (the order across targets is the order they finish in; within
        /// a target, the order its reads give). A target that fails as a whole (a role that cannot be assumed, an account without access)
        /// is one error record for that account and region; the others go on. A name looked up in several regions or accounts is
        /// "not found" only when no target found it, so that error waits until every target is done.
        /// </summary>
        protected void RunTargets<T>(IReadOnlyList<RegionTarget> targets, int throttleLimit, string activity,
            Func<RegionTarget, AwsContext, CancellationToken, Task<IReadOnlyList<ClusterOutcome<T>>>> work, Action<T> write)
            where T : class
        {
            SharedThrottle ??= new SemaphoreSlim(Math.Max(1, throttleLimit));
            var contexts = targets.Select(t => ContextFor(t.Region, t.RoleArn)).ToList();
            foreach (var context in contexts) GetRdsApi(context);

            // Cancelled when the cmdlet stops early for any reason (Ctrl+C, or a downstream Select-Object -First that has all it wants), so
            // no target goes on reading for nobody.
            using var run = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            var tasks = targets.Select((t, i) => Task.Run(() => work(t, contexts[i], run.Token), run.Token)).ToList();
            var pending = Enumerable.Range(0, tasks.Count).ToList();
            var failedRoles = new HashSet<string>(StringComparer.Ordinal);
            var foundSomewhere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var notFound = new List<(int Target, ClusterOutcome<T> Outcome)>();

            // Writes what one finished target read, or its failure.
            void WriteTarget(int i)
            {
                var task = tasks[i];
                if (task.IsCanceled && CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                if (task.IsFaulted)
                {
                    var error = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
                    if (error is OperationCanceledException && CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                    var aurora = error as AuroraSecurityException;
                    if (aurora != null && aurora.ErrorId == AssumedRoleCredentialSource.RoleNotAssumedId && targets[i].RoleArn != null && !failedRoles.Add(targets[i].RoleArn!)) return;
                    WriteFailure(aurora ?? new AuroraSecurityException("TargetFailed", FailureKind.ServiceError, $"{Describe(contexts[i])}: {error.Message}", error), Describe(contexts[i]));
                    return;
                }

                foreach (var outcome in task.Result)
                {
                    if (outcome.Succeeded)
                    {
                        foundSomewhere.Add(outcome.Identifier);
                        write(outcome.Value!);
                    }
                    else if (outcome.Error!.ErrorId == RdsErrorTranslator.ClusterNotFoundId && targets.Count > 1)
                    {
                        notFound.Add((i, outcome));
                    }
                    else
                    {
                        WriteFailure(outcome.Error!, outcome.Identifier);
                    }
                }
            }

            try
            {
                var progress = new ProgressRecord(2, activity, "Starting");
                var watch = Stopwatch.StartNew();
                var shown = false;
                while (true)
                {
                    foreach (var i in pending.Where(i => tasks[i].IsCompleted).ToList())
                    {
                        pending.Remove(i);
                        WriteTarget(i);
                    }

                    if (pending.Count == 0) break;

                    // Progress shows only once a run has taken a moment; a quick one stays quiet.
                    if (watch.Elapsed >= ProgressDelay)
                    {
                        shown = true;
                        var done = tasks.Count - pending.Count;
                        progress.StatusDescription = $"{done} of {tasks.Count} account and region pairs done";
                        progress.PercentComplete = done * 100 / tasks.Count;
                        WriteProgress(progress);
                    }

                    Await(ct => WaitAsync(Task.WhenAny(pending.Select(i => tasks[i])), ProgressDelay, ct));
                }

                if (shown)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
            finally
            {
                if (pending.Count > 0) run.Cancel();
            }

            var notFoundReported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (_, outcome) in notFound.OrderBy(n => n.Target))
            {
                if (foundSomewhere.Contains(outcome.Identifier) || !notFoundReported.Add(outcome.Identifier)) continue;
                WriteFailure(outcome.Error!, outcome.Identifier);
            }
        }

        private static string RoleAccount(string roleArn)
        {
            var parts = roleArn.Split(':');
            return parts.Length > 4 ? parts[4] : string.Empty;
        }

        private static string Describe(AwsContext context) => (context.AccountId == null ? string.Empty : "account " + context.AccountId + " ") + "in " + context.Region;

        private static async Task<bool> WaitAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (task.IsCompleted) return true;
            var winner = await Task.WhenAny(task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return winner == task;
        }

        /// <summary>The domain service over this invocation's RDS client and region (or <paramref name="region"/>).</summary>
        protected AuroraClusterService CreateClusterService(string? region = null)
        {
            var rds = GetRdsApi(region);
            return new AuroraClusterService(rds, ResolveAwsContext(region).Region);
        }

        /// <summary>Clusters to read in one account and region: null names mean every cluster there; a null region means the one resolved as usual.</summary>
        protected sealed class RegionTarget
        {
            public RegionTarget(string? region, List<string>? names, string? roleArn = null)
            {
                Region = region;
                Names = names;
                RoleArn = roleArn;
            }

            public string? Region { get; }

            public List<string>? Names { get; }

            /// <summary>One of several -RoleArn values; null for the credentials as resolved.</summary>
            public string? RoleArn { get; }
        }
    }
}
