using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Audit
{
    /// <summary>Runs the security checks over a fleet of Aurora MySQL clusters: one finding per check per cluster, reads bounded by a throttle.</summary>
    public sealed class SecurityAuditRunner
    {
        private readonly IRdsApi _rds;
        private readonly AuroraClusterService _clusters;
        private readonly Func<DateTime> _utcNow;
        private readonly Func<AuroraCluster, AuditSettings> _settingsFor;

        /// <param name="settingsFor">The settings for each cluster (from a baseline); the defaults when null.</param>
        public SecurityAuditRunner(IRdsApi rds, string region, Func<DateTime>? utcNow = null, Func<AuroraCluster, AuditSettings>? settingsFor = null)
        {
            _settingsFor = settingsFor ?? (_ => AuditSettings.Default);
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _clusters = new AuroraClusterService(rds, region);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        public string Region => _clusters.Region;

        /// <summary>
        /// Audits the named clusters (every Aurora MySQL cluster when none are named). Each outcome is the findings of one cluster,
        /// one per check in catalogue order, or why the cluster itself could not be found; a check that cannot be evaluated is an Error finding.
        /// </summary>
        public async Task<IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>>> RunAsync(IReadOnlyList<string>? identifiers, IReadOnlyList<SecurityCheck> checks,
            CancellationToken cancellationToken, int throttleLimit = AuroraClusterService.DefaultThrottleLimit)
        {
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            var clusters = await _clusters.GetClustersAsync(identifiers, cancellationToken, throttleLimit).ConfigureAwait(false);
            var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
            var now = _utcNow();
            var evidence = found.Select(c => new ClusterEvidence(c, now) { Settings = _settingsFor(c) }).ToList();

            var reads = new List<Task>();
            var cache = _clusters.CreateParameterGroupCache(throttleLimit);
            try
            {
                if (checks.Any(c => c.Evidence == CheckEvidence.TlsConfig))
                {
                    var tls = _clusters.StartTlsConfigReads(found, cache, cancellationToken);
                    reads.AddRange(tls.Select((task, i) => AttachTlsAsync(task, evidence[i])));
                }

                using (var throttle = new SemaphoreSlim(Math.Max(1, throttleLimit)))
                {
                    if (checks.Any(c => c.Evidence == CheckEvidence.Instances))
                    {
                        reads.AddRange(evidence.Select(e => ReadInstancesAsync(e, throttle, cancellationToken)));
                    }

                    await Task.WhenAll(reads).ConfigureAwait(false);
                }
            }
            finally
            {
                cache.Cancel();
            }

            var byCluster = evidence.ToDictionary(e => e.Cluster.ClusterIdentifier, StringComparer.OrdinalIgnoreCase);
            return clusters.Select(outcome =>
            {
                if (!outcome.Succeeded) return ClusterOutcome<IReadOnlyList<Finding>>.Failure(outcome.Identifier, outcome.Error!);
                var e = byCluster[outcome.Value!.ClusterIdentifier];
                IReadOnlyList<Finding> findings = checks.Select(check => ClusterChecks.Evaluate(check, e)).ToList();
                return ClusterOutcome<IReadOnlyList<Finding>>.Success(outcome.Identifier, findings);
            }).ToList();
        }

        private static async Task AttachTlsAsync(Task<ClusterOutcome<AuroraTlsConfig>> read, ClusterEvidence evidence)
        {
            var outcome = await read.ConfigureAwait(false);
            if (outcome.Succeeded) evidence.TlsConfig = outcome.Value;
            else evidence.TlsConfigError = outcome.Error;
        }

        private async Task ReadInstancesAsync(ClusterEvidence evidence, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var id = evidence.Cluster.ClusterIdentifier;
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var instances = await _rds.DescribeDBInstancesAsync(null, new[] { new RdsFilter("db-cluster-id", id) }, cancellationToken).ConfigureAwait(false);
                if (instances.Count == 0 && evidence.Cluster.Members.Count > 0)
                {
                    // The cluster listed members a moment ago: it is being deleted or replaced, not empty.
                    evidence.InstancesError = new AuroraSecurityException("ClusterInstancesNotFound", FailureKind.NotFound,
                        $"RDS returned none of the {evidence.Cluster.Members.Count} instances of cluster '{id}' ({string.Join(", ", evidence.Cluster.Members.Select(m => m.InstanceIdentifier))}); the cluster may have been deleted while the audit ran.");
                }
                else
                {
                    evidence.Instances = instances;
                }
            }
            catch (RdsApiException e)
            {
                evidence.InstancesError = RdsErrorTranslator.Translate(e, $"the instances of cluster '{id}'", Region);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                evidence.InstancesError = new AuroraSecurityException("InstanceReadFailed", FailureKind.ServiceError,
                    $"Reading the instances of cluster '{id}' failed: {e.Message}", e);
            }
            finally
            {
                throttle.Release();
            }
        }
    }
}
