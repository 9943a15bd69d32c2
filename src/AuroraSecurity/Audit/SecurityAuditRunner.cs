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
        public Task<IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>>> RunAsync(IReadOnlyList<string>? identifiers, IReadOnlyList<SecurityCheck> checks,
            CancellationToken cancellationToken, int throttleLimit = AuroraClusterService.DefaultThrottleLimit) =>
            RunAsync(identifiers, checks, new AuditOptions { ThrottleLimit = throttleLimit }, cancellationToken);

        /// <summary>The audit with SQL and wire evidence as <paramref name="options"/> asks; outcomes in the order the clusters were found or named.</summary>
        public async Task<IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>>> RunAsync(IReadOnlyList<string>? identifiers, IReadOnlyList<SecurityCheck> checks,
            AuditOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var clusters = await FindClustersAsync(identifiers, options.ThrottleLimit, cancellationToken).ConfigureAwait(false);
            var done = new Dictionary<string, ClusterOutcome<IReadOnlyList<Finding>>>(StringComparer.OrdinalIgnoreCase);
            var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
            await AuditAsync(found, checks, options, p =>
            {
                if (p.Phase != AuditPhase.Done) return;
                lock (done) done[p.ClusterIdentifier] = p.Outcome!;
            }, cancellationToken).ConfigureAwait(false);
            return clusters.Select(c => c.Succeeded ? done[c.Value!.ClusterIdentifier] : ClusterOutcome<IReadOnlyList<Finding>>.Failure(c.Identifier, c.Error!)).ToList();
        }

        /// <summary>The named clusters (every Aurora MySQL cluster when none are named), or why each could not be found.</summary>
        public Task<IReadOnlyList<ClusterOutcome<AuroraCluster>>> FindClustersAsync(IReadOnlyList<string>? identifiers, int throttleLimit, CancellationToken cancellationToken) =>
            _clusters.GetClustersAsync(identifiers, cancellationToken, throttleLimit);

        /// <summary>
        /// Audits found clusters and reports each one's findings as soon as they are ready (in catalogue order within a cluster), with the
        /// phases before. <paramref name="report"/> is called from worker threads, one call at a time. RDS requests, SQL connections and probe
        /// handshakes share one throttle; after cancellation nothing new is sent.
        /// </summary>
        public async Task AuditAsync(IReadOnlyList<AuroraCluster> found, IReadOnlyList<SecurityCheck> checks, AuditOptions options, Action<AuditProgress> report, CancellationToken cancellationToken)
        {
            if (found == null) throw new ArgumentNullException(nameof(found));
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (report == null) throw new ArgumentNullException(nameof(report));
            var throttleLimit = Math.Max(1, options.ThrottleLimit);
            var reportGate = new object();
            void Report(AuditProgress progress)
            {
                lock (reportGate) report(progress);
            }

            var now = _utcNow();
            var evidence = found.Select(c => new ClusterEvidence(c, now) { Settings = _settingsFor(c) }).ToList();
            using (var gate = new SemaphoreSlim(throttleLimit))
            using (var instanceThrottle = new SemaphoreSlim(throttleLimit))
            {
                var gated = new GatedRdsApi(_rds, gate);
                var service = new AuroraClusterService(gated, Region);
                var cache = service.CreateParameterGroupCache(throttleLimit);
                try
                {
                    var needSql = options.Sql != null && checks.Any(c => c.Evidence == CheckEvidence.Sql);
                    var needWire = options.ProbeEndpoints && checks.Any(c => c.Evidence == CheckEvidence.Wire);
                    var tlsReads = checks.Any(c => c.Evidence == CheckEvidence.TlsConfig) || needSql || needWire
                        ? service.StartTlsConfigReads(found, cache, cancellationToken)
                        : null;
                    var readInstances = checks.Any(c => c.Evidence == CheckEvidence.Instances) || needWire;
                    var audits = evidence.Select((e, i) => AuditOneAsync(e, tlsReads?[i], readInstances, needSql, needWire, checks, options, gated, gate, instanceThrottle, Report, cancellationToken)).ToList();
                    await Task.WhenAll(audits).ConfigureAwait(false);
                }
                finally
                {
                    cache.Cancel();
                }
            }
        }

        private async Task AuditOneAsync(ClusterEvidence e, Task<ClusterOutcome<AuroraTlsConfig>>? tlsRead, bool readInstances, bool needSql, bool needWire,
            IReadOnlyList<SecurityCheck> checks, AuditOptions options, IRdsApi rds, SemaphoreSlim gate, SemaphoreSlim instanceThrottle, Action<AuditProgress> report, CancellationToken cancellationToken)
        {
            var id = e.Cluster.ClusterIdentifier;
            report(new AuditProgress(id, AuditPhase.RdsReads));
            var reads = new List<Task>();
            if (tlsRead != null) reads.Add(AttachTlsAsync(tlsRead, e));
            if (readInstances) reads.Add(ReadInstancesAsync(rds, e, instanceThrottle, cancellationToken));
            await Task.WhenAll(reads).ConfigureAwait(false);

            if (needSql)
            {
                report(new AuditProgress(id, AuditPhase.Sql));
                await SqlEvidenceStep.ReadAsync(e, options.Sql!, gate, cancellationToken).ConfigureAwait(false);
            }

            if (needWire)
            {
                report(new AuditProgress(id, AuditPhase.Probe));
                await WireEvidenceStep.ReadAsync(e, gate, options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<Finding> findings = checks.Select(check => ClusterChecks.Evaluate(check, e)).ToList();
            report(new AuditProgress(id, AuditPhase.Done, ClusterOutcome<IReadOnlyList<Finding>>.Success(id, findings)));
        }

        private static async Task AttachTlsAsync(Task<ClusterOutcome<AuroraTlsConfig>> read, ClusterEvidence evidence)
        {
            var outcome = await read.ConfigureAwait(false);
            if (outcome.Succeeded) evidence.TlsConfig = outcome.Value;
            else evidence.TlsConfigError = outcome.Error;
        }

        private async Task ReadInstancesAsync(IRdsApi rds, ClusterEvidence evidence, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var id = evidence.Cluster.ClusterIdentifier;
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var instances = await rds.DescribeDBInstancesAsync(null, new[] { new RdsFilter("db-cluster-id", id) }, cancellationToken).ConfigureAwait(false);
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
