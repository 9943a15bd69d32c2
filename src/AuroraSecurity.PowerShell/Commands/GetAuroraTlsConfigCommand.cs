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
                WriteVerboseLine(target.Names == null || target.Names.Count == 0
                    ? $"Listing the Aurora MySQL clusters of {service.Region} (DescribeDBClusters)."
                    : $"Reading {string.Join(", ", target.Names)} in {service.Region} (DescribeDBClusters).");
                var clusters = ReadClusters(service, target);
                var cache = service.CreateParameterGroupCache(ThrottleLimit);
                var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
                var groups = found.Select(c => c.ParameterGroupName).Where(g => !string.IsNullOrEmpty(g)).Distinct(StringComparer.Ordinal).Count();
                WriteVerboseLine($"Reading require_secure_transport, tls_version and ssl_cipher from {groups} cluster parameter group(s) of {found.Count} cluster(s) " +
                    "(DescribeDBClusterParameters, once per group), and each cluster's instances (DescribeDBInstances) to see which still wait for a reboot.");
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
                if (outcome.Succeeded) WriteVerboseLine(Describe(outcome.Value!));
                if (outcome.Succeeded) WriteObject(outcome.Value);
                else WriteFailure(outcome.Error!, outcome.Identifier);
            }

            if (showProgress)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        // Where each value came from, since a blank one means the engine default and an unknown one that RDS did not say.
        private static string Describe(AuroraTlsConfig config)
        {
            string Source(string? value, string? source, bool known) =>
                !known ? "unknown (RDS did not say)" : string.IsNullOrEmpty(value) ? "the engine default" : $"{value} ({source ?? "source not given"})";
            return $"{config.ClusterIdentifier}: group '{config.ParameterGroupName}'; require_secure_transport " +
                Source(config.RequireSecureTransport?.ToString(), config.RequireSecureTransportSource, config.RequireSecureTransport != null) +
                "; tls_version " + Source(config.TlsVersion, config.TlsVersionSource, config.TlsVersionKnown) +
                "; ssl_cipher " + Source(string.Join(",", config.SslCipher), config.SslCipherSource, config.SslCipherKnown) + ".";
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
