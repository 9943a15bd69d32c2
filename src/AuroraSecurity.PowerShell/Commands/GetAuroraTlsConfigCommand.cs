using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Reads require_secure_transport, tls_version and ssl_cipher of Aurora MySQL clusters from their cluster parameter groups.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraTlsConfig")]
    [OutputType(typeof(AuroraTlsConfig))]
    public sealed class GetAuroraTlsConfigCommand : ClusterCmdletBase
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        /// <summary>RDS requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRegions => true;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRoles => true;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var targets = PlanRegionTargets();
            if (targets.Count > 1 || (targets.Count == 1 && targets[0].RoleArn != null))
            {
                RunTargets<AuroraTlsConfig>(targets, ThrottleLimit, "Reading TLS settings of Aurora MySQL clusters", ReadTargetAsync, WriteObject);
                return;
            }

            foreach (var target in targets)
            {
                var service = CreateClusterService(target.Region);
                IReadOnlyList<ClusterOutcome<AuroraCluster>> clusters;
                try
                {
                    clusters = Await(ct => service.GetClustersAsync(target.Names, ct, ThrottleLimit));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, null);
                    return;
                }

                WarnIfRegionEmpty(clusters.Count, target.Region);
                var cache = service.CreateParameterGroupCache(ThrottleLimit);
                var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
                var reads = service.StartTlsConfigReads(found, cache, CancellationToken);
                try
                {
                    WriteInOrder(clusters, reads);
                }
                finally
                {
                    // Reads nobody waits for any more (Ctrl+C, a terminating error downstream) stop here.
                    cache.Cancel();
                }
            }
        }

        // One account and region: its clusters, then their TLS settings (a cluster that cannot be read is a failure for it alone).
        private async Task<IReadOnlyList<ClusterOutcome<AuroraTlsConfig>>> ReadTargetAsync(RegionTarget target, AuroraSecurity.Rds.AwsContext context, System.Threading.CancellationToken cancellationToken)
        {
            var service = new AuroraClusterService(GetRdsApi(context), context.Region);
            var clusters = await service.GetClustersAsync(target.Names, cancellationToken, ThrottleLimit).ConfigureAwait(false);
            var cache = service.CreateParameterGroupCache(ThrottleLimit);
            var reads = service.StartTlsConfigReads(clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList(), cache, cancellationToken);
            var read = await Task.WhenAll(reads).ConfigureAwait(false);
            var results = new List<ClusterOutcome<AuroraTlsConfig>>();
            var next = 0;
            foreach (var cluster in clusters)
            {
                results.Add(cluster.Succeeded ? read[next++] : ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, cluster.Error!));
            }

            return results;
        }

        // Results are written from this (the pipeline) thread only, in input order, as soon as each is ready.
        private void WriteInOrder(IReadOnlyList<ClusterOutcome<AuroraCluster>> clusters, IReadOnlyList<Task<ClusterOutcome<AuroraTlsConfig>>> reads)
        {
            var progress = new ProgressRecord(1, "Reading TLS settings of Aurora MySQL clusters", "Starting");
            var watch = Stopwatch.StartNew();
            var lastProgress = TimeSpan.Zero;
            var showProgress = false;
            var next = 0;
            foreach (var cluster in clusters)
            {
                if (!cluster.Succeeded)
                {
                    WriteFailure(cluster.Error!, cluster.Identifier);
                    continue;
                }

                var read = reads[next++];
                while (!Await(ct => WaitAsync(read, ProgressInterval, ct)))
                {
                    if (watch.Elapsed - lastProgress < ProgressInterval) continue;
                    showProgress = true;
                    lastProgress = watch.Elapsed;
                    var done = reads.Count(r => r.IsCompleted);
                    progress.StatusDescription = $"{done} of {reads.Count} clusters read";
                    progress.PercentComplete = reads.Count == 0 ? 100 : done * 100 / reads.Count;
                    WriteProgress(progress);
                }

                var outcome = read.GetAwaiter().GetResult();
                if (outcome.Succeeded) WriteObject(outcome.Value);
                else WriteFailure(outcome.Error!, outcome.Identifier);
            }

            if (showProgress)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        private static async Task<bool> WaitAsync(Task task, TimeSpan timeout, System.Threading.CancellationToken cancellationToken)
        {
            if (task.IsCompleted) return true;
            var winner = await Task.WhenAny(task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return winner == task;
        }
    }
}
