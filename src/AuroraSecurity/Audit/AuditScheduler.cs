using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Audit
{
    /// <summary>One account and region of an audit: the runner that reads there and the clusters to audit (every one when none are named).</summary>
    public sealed class AuditTarget
    {
        public AuditTarget(SecurityAuditRunner runner, IReadOnlyList<string>? names, object? state = null)
        {
            Runner = runner ?? throw new ArgumentNullException(nameof(runner));
            Names = names;
            State = state;
        }

        public SecurityAuditRunner Runner { get; }

        /// <summary>The clusters named for this account and region; null or empty for every Aurora MySQL cluster there.</summary>
        public IReadOnlyList<string>? Names { get; }

        /// <summary>Whatever the caller keeps with the target (its role, its credentials).</summary>
        public object? State { get; }

        public bool WholeRegion => Names == null || Names.Count == 0;
    }

    /// <summary>
    /// Audits every target (account and region) at once under one throttle: each target lists its clusters, the caller prepares the
    /// target's options from what was found, and the target's clusters are audited, all targets' requests sharing the same slots.
    /// A target that fails as a whole (a role that cannot be assumed, an account without access) is reported once and the others go on.
    /// </summary>
    public static class AuditScheduler
    {
        /// <param name="prepare">
        /// Called once per target when its clusters are found (or could not be): returns the options for auditing them, or null to audit none.
        /// Its <see cref="AuditOptions.ThrottleLimit"/> and <see cref="AuditOptions.WholeRegion"/> are set here.
        /// </param>
        /// <param name="report">Each step of each cluster, with its target; called one at a time, from worker threads.</param>
        /// <param name="failed">A target that could not be audited, and why; called one at a time, from worker threads.</param>
        public static async Task RunAsync(IReadOnlyList<AuditTarget> targets, IReadOnlyList<SecurityCheck> checks, int throttleLimit,
            Func<AuditTarget, IReadOnlyList<ClusterOutcome<AuroraCluster>>, Task<AuditOptions?>> prepare,
            Action<AuditTarget, AuditProgress> report, Action<AuditTarget, Exception> failed, CancellationToken cancellationToken)
        {
            if (targets == null) throw new ArgumentNullException(nameof(targets));
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            if (prepare == null) throw new ArgumentNullException(nameof(prepare));
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (failed == null) throw new ArgumentNullException(nameof(failed));
            var limit = Math.Max(1, throttleLimit);
            var callbacks = new object();
            using (var gate = new SemaphoreSlim(limit))
            {
                await Task.WhenAll(targets.Select(target => Task.Run(() => RunTargetAsync(target, checks, limit, gate, prepare,
                    p => { lock (callbacks) report(target, p); },
                    e => { lock (callbacks) failed(target, e); },
                    cancellationToken)))).ConfigureAwait(false);
            }
        }

        private static async Task RunTargetAsync(AuditTarget target, IReadOnlyList<SecurityCheck> checks, int throttleLimit, SemaphoreSlim gate,
            Func<AuditTarget, IReadOnlyList<ClusterOutcome<AuroraCluster>>, Task<AuditOptions?>> prepare,
            Action<AuditProgress> report, Action<Exception> failed, CancellationToken cancellationToken)
        {
            try
            {
                var clusters = await target.Runner.FindClustersAsync(target.Names, throttleLimit, gate, cancellationToken).ConfigureAwait(false);
                var options = await prepare(target, clusters).ConfigureAwait(false);
                if (options == null) return;
                var run = options.WithWholeRegion(target.WholeRegion);
                run.ThrottleLimit = throttleLimit;
                var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
                await target.Runner.AuditAsync(found, checks, run, report, gate, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                failed(e);
            }
        }
    }
}
