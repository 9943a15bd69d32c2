using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Audit
{
    /// <summary>
    /// Runs the security checks over a fleet of Aurora MySQL clusters: one finding per check per cluster. Each kind of
    /// evidence is read once for the whole fleet (instances, security groups, snapshots and proxies region-wide, each
    /// parameter group once), concurrently and bounded by a throttle; a failed read becomes Error findings for the checks
    /// that needed it, on the clusters it concerns, and nothing else.
    /// </summary>
    public sealed class SecurityAuditRunner
    {
        // Keeps each filtered DescribeDBInstances short; the answer pages on.
        private const int ClustersPerInstanceRead = 50;

        private readonly IRdsApi _rds;
        private readonly IEc2Api? _ec2;
        private readonly AuroraClusterService _clusters;
        private readonly Func<DateTime> _utcNow;
        private readonly AuditSettings _settings;

        public SecurityAuditRunner(IRdsApi rds, string region, Func<DateTime>? utcNow = null, IEc2Api? ec2 = null, AuditSettings? settings = null)
        {
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _ec2 = ec2;
            _clusters = new AuroraClusterService(rds, region);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
            _settings = settings ?? AuditSettings.Default;
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
            var evidence = found.Select(c => new ClusterEvidence(c, now, _settings)).ToList();
            var needs = new HashSet<CheckEvidence>(checks.Select(c => c.Evidence));
            var wholeRegion = identifiers == null || identifiers.Count == 0;

            if (evidence.Count > 0)
            {
                var reads = new List<Task>();
                var cache = _clusters.CreateParameterGroupCache(throttleLimit);
                try
                {
                    using (var throttle = new SemaphoreSlim(Math.Max(1, throttleLimit)))
                    {
                        if (needs.Contains(CheckEvidence.TlsConfig))
                        {
                            var tls = _clusters.StartTlsConfigReads(found, cache, cancellationToken);
                            reads.AddRange(tls.Select((task, i) => AttachTlsAsync(task, evidence[i])));
                        }

                        if (needs.Contains(CheckEvidence.ClusterParameters)) reads.AddRange(evidence.Select(e => ReadParametersAsync(e, cache, cancellationToken)));
                        if (needs.Contains(CheckEvidence.Instances)) reads.Add(ReadInstancesAsync(evidence, wholeRegion, throttle, cancellationToken));
                        if (needs.Contains(CheckEvidence.SecurityGroups)) reads.Add(ReadSecurityGroupsAsync(evidence, throttle, cancellationToken));
                        if (needs.Contains(CheckEvidence.Snapshots))
                        {
                            var attributes = checks.Any(c => c.Id == SecurityCheckCatalog.SnapshotsNotPublic);
                            reads.Add(ReadSnapshotsAsync(evidence, attributes, throttle, cancellationToken));
                        }

                        if (needs.Contains(CheckEvidence.Proxies)) reads.Add(ReadProxiesAsync(evidence, throttle, cancellationToken));
                        await Task.WhenAll(reads).ConfigureAwait(false);
                    }
                }
                finally
                {
                    cache.Cancel();
                }
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

        private async Task ReadParametersAsync(ClusterEvidence evidence, ParameterGroupCache cache, CancellationToken cancellationToken)
        {
            var cluster = evidence.Cluster;
            if (string.IsNullOrEmpty(cluster.ParameterGroupName))
            {
                evidence.ClusterParametersError = new AuroraSecurityException("ClusterParameterGroupUnknown", FailureKind.InvalidOperation,
                    $"RDS reports no DB cluster parameter group for cluster '{cluster.ClusterIdentifier}' (status {cluster.Status ?? "unknown"}); try again when the cluster is available.");
                return;
            }

            try
            {
                evidence.ClusterParameters = await cache.GetParametersAsync(cluster.ParameterGroupName!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                evidence.ClusterParametersError = Failure(e, "ParameterReadFailed", $"cluster '{cluster.ClusterIdentifier}' (parameter group '{cluster.ParameterGroupName}')");
            }
        }

        // One paged read for the region when every cluster is audited; otherwise filtered reads for the named clusters only.
        private async Task ReadInstancesAsync(IReadOnlyList<ClusterEvidence> evidence, bool wholeRegion, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var batches = wholeRegion
                ? new List<IReadOnlyList<ClusterEvidence>> { evidence }
                : Enumerable.Range(0, (evidence.Count + ClustersPerInstanceRead - 1) / ClustersPerInstanceRead)
                    .Select(b => (IReadOnlyList<ClusterEvidence>)evidence.Skip(b * ClustersPerInstanceRead).Take(ClustersPerInstanceRead).ToList()).ToList();
            await Task.WhenAll(batches.Select(async batch =>
            {
                var filter = wholeRegion
                    ? new RdsFilter("engine", AuroraCluster.MySqlEngines.ToArray())
                    : new RdsFilter("db-cluster-id", batch.Select(e => e.Cluster.ClusterIdentifier).ToArray());
                IReadOnlyList<RdsDbInstance> instances;
                try
                {
                    instances = await Throttled(throttle, () => _rds.DescribeDBInstancesAsync(null, new[] { filter }, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
                {
                    var subject = wholeRegion ? "the DB instances of the region" : $"the instances of clusters {string.Join(", ", batch.Select(x => x.Cluster.ClusterIdentifier))}";
                    var error = Failure(e, "InstanceReadFailed", subject);
                    foreach (var x in batch) x.InstancesError = error;
                    return;
                }

                var byCluster = instances.Where(i => i.DBClusterIdentifier != null)
                    .GroupBy(i => i.DBClusterIdentifier!, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<RdsDbInstance>)g.ToList(), StringComparer.OrdinalIgnoreCase);
                foreach (var x in batch)
                {
                    var id = x.Cluster.ClusterIdentifier;
                    var mine = byCluster.TryGetValue(id, out var list) ? list : new RdsDbInstance[0];
                    if (mine.Count == 0 && x.Cluster.Members.Count > 0)
                    {
                        // The cluster listed members a moment ago: it is being deleted or replaced, not empty.
                        x.InstancesError = new AuroraSecurityException("ClusterInstancesNotFound", FailureKind.NotFound,
                            $"RDS returned none of the {x.Cluster.Members.Count} instances of cluster '{id}' ({string.Join(", ", x.Cluster.Members.Select(m => m.InstanceIdentifier))}); the cluster may have been deleted while the audit ran.");
                    }
                    else
                    {
                        x.Instances = mine;
                    }
                }
            })).ConfigureAwait(false);
        }

        private async Task ReadSecurityGroupsAsync(IReadOnlyList<ClusterEvidence> evidence, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var concerned = evidence.Where(e => e.Cluster.VpcSecurityGroupIds != null && e.Cluster.VpcSecurityGroupIds.Count > 0).ToList();
            if (concerned.Count == 0) return;
            if (_ec2 == null)
            {
                var none = new AuroraSecurityException("Ec2Unavailable", FailureKind.InvalidOperation, "No EC2 client was given to the audit, so security groups could not be read.");
                foreach (var e in concerned) e.SecurityGroupsError = none;
                return;
            }

            var ids = concerned.SelectMany(e => e.Cluster.VpcSecurityGroupIds!).Distinct(StringComparer.Ordinal).ToList();
            try
            {
                var groups = await Throttled(throttle, () => _ec2.DescribeSecurityGroupsAsync(ids, cancellationToken), cancellationToken).ConfigureAwait(false);
                foreach (var e in concerned)
                {
                    e.SecurityGroups = groups.Where(g => e.Cluster.VpcSecurityGroupIds!.Contains(g.GroupId, StringComparer.Ordinal)).ToList();
                }
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                var error = Failure(e, "SecurityGroupReadFailed", $"security groups {string.Join(", ", ids)}");
                foreach (var x in concerned) x.SecurityGroupsError = error;
            }
        }

        private async Task ReadSnapshotsAsync(IReadOnlyList<ClusterEvidence> evidence, bool withAttributes, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            IReadOnlyList<RdsDbClusterSnapshot> snapshots;
            try
            {
                snapshots = await Throttled(throttle, () => _rds.DescribeDBClusterSnapshotsAsync(null, "manual", cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                var error = Failure(e, "SnapshotReadFailed", "the manual cluster snapshots of the region");
                foreach (var x in evidence) x.SnapshotsError = error;
                return;
            }

            var byCluster = snapshots.Where(s => s.DBClusterIdentifier != null)
                .GroupBy(s => s.DBClusterIdentifier!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.OrderBy(s => s.DBClusterSnapshotIdentifier, StringComparer.Ordinal).Select(s => new SnapshotEvidence(s)).ToList(), StringComparer.OrdinalIgnoreCase);
            var reads = new List<Task>();
            foreach (var x in evidence)
            {
                var mine = byCluster.TryGetValue(x.Cluster.ClusterIdentifier, out var list) ? list : new List<SnapshotEvidence>();
                x.Snapshots = mine;
                if (withAttributes) reads.AddRange(mine.Select(s => ReadAttributesAsync(s, throttle, cancellationToken)));
            }

            await Task.WhenAll(reads).ConfigureAwait(false);
        }

        private async Task ReadAttributesAsync(SnapshotEvidence snapshot, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            var id = snapshot.Snapshot.DBClusterSnapshotIdentifier;
            try
            {
                snapshot.Attributes = await Throttled(throttle, () => _rds.DescribeDBClusterSnapshotAttributesAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                snapshot.AttributesError = Failure(e, "SnapshotAttributeReadFailed", $"snapshot '{id}'").Message;
            }
        }

        private async Task ReadProxiesAsync(IReadOnlyList<ClusterEvidence> evidence, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            IReadOnlyList<RdsDbProxy> proxies;
            try
            {
                proxies = await Throttled(throttle, () => _rds.DescribeDBProxiesAsync(null, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                var error = Failure(e, "ProxyReadFailed", "the RDS Proxies of the region");
                foreach (var x in evidence) x.ProxiesError = error;
                return;
            }

            var mysql = proxies.Where(p => p.EngineFamily == null || string.Equals(p.EngineFamily, "MYSQL", StringComparison.OrdinalIgnoreCase)).ToList();
            var targets = await Task.WhenAll(mysql.Select(async p =>
            {
                try
                {
                    var list = await Throttled(throttle, () => _rds.DescribeDBProxyTargetsAsync(p.DBProxyName, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return (Proxy: p, Targets: list, Error: (AuroraSecurityException?)null);
                }
                catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
                {
                    return (Proxy: p, Targets: (IReadOnlyList<RdsDbProxyTarget>)new RdsDbProxyTarget[0], Error: Failure(e, "ProxyTargetReadFailed", $"the targets of RDS Proxy '{p.DBProxyName}'"));
                }
            })).ConfigureAwait(false);

            // A proxy whose targets are unknown could front any cluster: every cluster's proxy check is then in doubt.
            var failed = targets.FirstOrDefault(t => t.Error != null).Error;
            foreach (var x in evidence)
            {
                if (failed != null)
                {
                    x.ProxiesError = failed;
                    continue;
                }

                x.Proxies = targets.Where(t => t.Targets.Any(g => string.Equals(g.TrackedClusterId, x.Cluster.ClusterIdentifier, StringComparison.OrdinalIgnoreCase)))
                    .Select(t => t.Proxy).OrderBy(p => p.DBProxyName, StringComparer.Ordinal).ToList();
            }
        }

        private static async Task<T> Throttled<T>(SemaphoreSlim throttle, Func<Task<T>> read, CancellationToken cancellationToken)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await read().ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        }

        private AuroraSecurityException Failure(Exception e, string errorId, string subject)
        {
            if (e is AuroraSecurityException known) return known;
            if (e is RdsApiException api) return RdsErrorTranslator.Translate(api, subject, Region);
            return new AuroraSecurityException(errorId, FailureKind.ServiceError, $"Reading {subject} failed: {e.Message}", e);
        }
    }
}
