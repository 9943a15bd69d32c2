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
        private readonly Func<AuroraCluster, AuditSettings> _settingsFor;

        /// <param name="settings">The settings for every cluster; the defaults when null.</param>
        /// <param name="settingsFor">The settings for each cluster (from a baseline); <paramref name="settings"/> when null.</param>
        public SecurityAuditRunner(IRdsApi rds, string region, Func<DateTime>? utcNow = null, IEc2Api? ec2 = null, AuditSettings? settings = null,
            Func<AuroraCluster, AuditSettings>? settingsFor = null)
        {
            var all = settings ?? AuditSettings.Default;
            _settingsFor = settingsFor ?? (_ => all);
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _ec2 = ec2;
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
            var run = options.WithWholeRegion(identifiers == null || identifiers.Count == 0);
            await AuditAsync(found, checks, run, p =>
            {
                if (p.Phase != AuditPhase.Done) return;
                lock (done) done[p.ClusterIdentifier] = p.Outcome!;
            }, cancellationToken).ConfigureAwait(false);
            return clusters.Select(c => c.Succeeded ? done[c.Value!.ClusterIdentifier] : ClusterOutcome<IReadOnlyList<Finding>>.Failure(c.Identifier, c.Error!)).ToList();
        }

        /// <summary>The named clusters (every Aurora MySQL cluster when none are named), or why each could not be found.</summary>
        public Task<IReadOnlyList<ClusterOutcome<AuroraCluster>>> FindClustersAsync(IReadOnlyList<string>? identifiers, int throttleLimit, CancellationToken cancellationToken) =>
            _clusters.GetClustersAsync(identifiers, cancellationToken, throttleLimit);

        /// <summary>The clusters as <see cref="FindClustersAsync(IReadOnlyList{string}, int, CancellationToken)"/> finds them, each request holding a slot of <paramref name="gate"/>.</summary>
        internal Task<IReadOnlyList<ClusterOutcome<AuroraCluster>>> FindClustersAsync(IReadOnlyList<string>? identifiers, int throttleLimit, SemaphoreSlim gate, CancellationToken cancellationToken) =>
            new AuroraClusterService(new GatedRdsApi(_rds, gate), Region).GetClustersAsync(identifiers, cancellationToken, throttleLimit);

        /// <summary>
        /// Audits found clusters and reports each one's findings as soon as they are ready (in catalogue order within a cluster), with the
        /// phases before. <paramref name="report"/> is called from worker threads, one call at a time. RDS requests, SQL connections and probe
        /// handshakes share one throttle; after cancellation nothing new is sent.
        /// </summary>
        public async Task AuditAsync(IReadOnlyList<AuroraCluster> found, IReadOnlyList<SecurityCheck> checks, AuditOptions options, Action<AuditProgress> report, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            using (var gate = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit)))
            {
                await AuditAsync(found, checks, options, report, gate, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The audit with every RDS and EC2 request, SQL connection and probe handshake holding a slot of <paramref name="gate"/>, which other audits may share.</summary>
        internal async Task AuditAsync(IReadOnlyList<AuroraCluster> found, IReadOnlyList<SecurityCheck> checks, AuditOptions options, Action<AuditProgress> report, SemaphoreSlim gate,
            CancellationToken cancellationToken)
        {
            if (found == null) throw new ArgumentNullException(nameof(found));
            if (checks == null) throw new ArgumentNullException(nameof(checks));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (gate == null) throw new ArgumentNullException(nameof(gate));
            var throttleLimit = Math.Max(1, options.ThrottleLimit);
            var reportGate = new object();
            void Report(AuditProgress progress)
            {
                lock (reportGate) report(progress);
            }

            var now = _utcNow();
            var evidence = found.Select(c => new ClusterEvidence(c, now, _settingsFor(c))).ToList();
            if (evidence.Count == 0) return;
            var needs = new HashSet<CheckEvidence>(checks.Select(c => c.Evidence));
            var gated = new GatedRdsApi(_rds, gate);
            var service = new AuroraClusterService(gated, Region);
            var cache = service.CreateParameterGroupCache(throttleLimit);
            var shared = new List<Task>();
            try
            {
                var needSql = options.Sql != null && needs.Contains(CheckEvidence.Sql);
                var needWire = options.ProbeEndpoints && needs.Contains(CheckEvidence.Wire);

                // Region-wide evidence is read once, started before the per-cluster reads so it is first in line at the throttle;
                // each cluster awaits only the reads it needs and its findings are reported as soon as its own evidence is in.
                var reads = new RegionReads();
                if (needs.Contains(CheckEvidence.Instances) || needWire)
                {
                    reads.Instances = StartInstanceReads(gated, evidence, options.WholeRegion, cancellationToken);
                    shared.AddRange(reads.Instances.Values.Distinct());
                }

                if (needs.Contains(CheckEvidence.SecurityGroups)) shared.Add(reads.SecurityGroups = ReadSecurityGroupsAsync(evidence, gate, cancellationToken));
                if (needs.Contains(CheckEvidence.Snapshots))
                {
                    reads.SnapshotAttributes = checks.Any(c => c.Id == SecurityCheckCatalog.SnapshotsNotPublic);
                    shared.Add(reads.Snapshots = ListSnapshotsAsync(gated, cancellationToken));
                }

                if (needs.Contains(CheckEvidence.Proxies)) shared.Add(reads.Proxies = ReadProxiesAsync(gated, cancellationToken));
                var tlsReads = needs.Contains(CheckEvidence.TlsConfig) || needSql || needWire
                    ? service.StartTlsConfigReads(found, cache, cancellationToken)
                    : null;
                var readParameters = needs.Contains(CheckEvidence.ClusterParameters);
                var audits = evidence.Select((e, i) => AuditOneAsync(e, tlsReads?[i], readParameters ? cache : null, reads, gated, needSql, needWire, checks, options, gate, Report, cancellationToken)).ToList();
                await Task.WhenAll(audits).ConfigureAwait(false);
            }
            finally
            {
                // Nothing is left running behind the caller, even when a cluster's audit was cancelled: every shared read honours the token.
                foreach (var read in shared)
                {
                    try { await read.ConfigureAwait(false); } catch (Exception) { }
                }

                cache.Cancel();
            }
        }

        /// <summary>The region-wide reads of one audit run, each started once and awaited by the clusters that need it.</summary>
        private sealed class RegionReads
        {
            public Dictionary<ClusterEvidence, Task>? Instances { get; set; }
            public Task? SecurityGroups { get; set; }
            public Task<SnapshotListing>? Snapshots { get; set; }
            public bool SnapshotAttributes { get; set; }
            public Task<ProxyListing>? Proxies { get; set; }
        }

        private sealed class SnapshotListing
        {
            public Dictionary<string, List<RdsDbClusterSnapshot>>? ByCluster { get; set; }
            public AuroraSecurityException? Error { get; set; }
        }

        private sealed class ProxyListing
        {
            public IReadOnlyList<(RdsDbProxy Proxy, IReadOnlyList<RdsDbProxyTarget> Targets)>? Targets { get; set; }
            public AuroraSecurityException? Error { get; set; }
        }

        private async Task AuditOneAsync(ClusterEvidence e, Task<ClusterOutcome<AuroraTlsConfig>>? tlsRead, ParameterGroupCache? parameters, RegionReads shared, IRdsApi rds,
            bool needSql, bool needWire, IReadOnlyList<SecurityCheck> checks, AuditOptions options, SemaphoreSlim gate, Action<AuditProgress> report, CancellationToken cancellationToken)
        {
            var id = e.Cluster.ClusterIdentifier;
            report(new AuditProgress(id, AuditPhase.RdsReads));
            var reads = new List<Task>();
            if (tlsRead != null) reads.Add(AttachTlsAsync(tlsRead, e));
            if (parameters != null) reads.Add(ReadParametersAsync(e, parameters, cancellationToken));
            if (shared.Instances != null) reads.Add(shared.Instances[e]);
            if (shared.SecurityGroups != null) reads.Add(shared.SecurityGroups);
            if (shared.Snapshots != null) reads.Add(AttachSnapshotsAsync(rds, e, shared.Snapshots, shared.SnapshotAttributes, cancellationToken));
            if (shared.Proxies != null) reads.Add(AttachProxiesAsync(e, shared.Proxies));
            await Task.WhenAll(reads).ConfigureAwait(false);

            if (needSql)
            {
                report(new AuditProgress(id, AuditPhase.Sql));
                await SqlEvidenceStep.ReadAsync(e, options.Sql!, options.ManagedMasterSecrets, gate, cancellationToken).ConfigureAwait(false);
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

        private async Task ReadParametersAsync(ClusterEvidence evidence, ParameterGroupCache cache, CancellationToken cancellationToken)
        {
            var cluster = evidence.Cluster;
            if (string.IsNullOrEmpty(cluster.ParameterGroupName))
            {
                evidence.ClusterParametersError = AuroraClusterService.ParameterGroupUnknown(cluster);
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
        // Each cluster is mapped to the read that covers it.
        private Dictionary<ClusterEvidence, Task> StartInstanceReads(IRdsApi rds, IReadOnlyList<ClusterEvidence> evidence, bool wholeRegion, CancellationToken cancellationToken)
        {
            var batches = wholeRegion
                ? new List<IReadOnlyList<ClusterEvidence>> { evidence }
                : Enumerable.Range(0, (evidence.Count + ClustersPerInstanceRead - 1) / ClustersPerInstanceRead)
                    .Select(b => (IReadOnlyList<ClusterEvidence>)evidence.Skip(b * ClustersPerInstanceRead).Take(ClustersPerInstanceRead).ToList()).ToList();
            var map = new Dictionary<ClusterEvidence, Task>();
            foreach (var batch in batches)
            {
                var read = ReadInstancesAsync(rds, batch, wholeRegion, cancellationToken);
                foreach (var x in batch) map[x] = read;
            }

            return map;
        }

        private async Task ReadInstancesAsync(IRdsApi rds, IReadOnlyList<ClusterEvidence> batch, bool wholeRegion, CancellationToken cancellationToken)
        {
            var filter = wholeRegion
                ? new RdsFilter("engine", AuroraCluster.MySqlEngines.ToArray())
                : new RdsFilter("db-cluster-id", batch.Select(e => e.Cluster.ClusterIdentifier).ToArray());
            IReadOnlyList<RdsDbInstance> instances;
            try
            {
                instances = await rds.DescribeDBInstancesAsync(null, new[] { filter }, cancellationToken).ConfigureAwait(false);
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
        }

        private async Task ReadSecurityGroupsAsync(IReadOnlyList<ClusterEvidence> evidence, SemaphoreSlim gate, CancellationToken cancellationToken)
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
                var groups = await GatedRdsApi.RunGated(gate, ct => _ec2.DescribeSecurityGroupsAsync(ids, ct), cancellationToken).ConfigureAwait(false);
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

        // One listing of the region's manual cluster snapshots; each cluster then reads the attributes of its own.
        private async Task<SnapshotListing> ListSnapshotsAsync(IRdsApi rds, CancellationToken cancellationToken)
        {
            try
            {
                var snapshots = await rds.DescribeDBClusterSnapshotsAsync(null, "manual", cancellationToken).ConfigureAwait(false);
                return new SnapshotListing
                {
                    ByCluster = snapshots.Where(s => s.DBClusterIdentifier != null)
                        .GroupBy(s => s.DBClusterIdentifier!, StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(g => g.Key, g => g.OrderBy(s => s.DBClusterSnapshotIdentifier, StringComparer.Ordinal).ToList(), StringComparer.OrdinalIgnoreCase),
                };
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return new SnapshotListing { Error = Failure(e, "SnapshotReadFailed", "the manual cluster snapshots of the region") };
            }
        }

        private async Task AttachSnapshotsAsync(IRdsApi rds, ClusterEvidence x, Task<SnapshotListing> listing, bool withAttributes, CancellationToken cancellationToken)
        {
            var snapshots = await listing.ConfigureAwait(false);
            if (snapshots.Error != null)
            {
                x.SnapshotsError = snapshots.Error;
                return;
            }

            var mine = snapshots.ByCluster!.TryGetValue(x.Cluster.ClusterIdentifier, out var list)
                ? list.Select(s => new SnapshotEvidence(s)).ToList()
                : new List<SnapshotEvidence>();
            if (withAttributes) await Task.WhenAll(mine.Select(s => ReadAttributesAsync(rds, s, cancellationToken))).ConfigureAwait(false);
            x.Snapshots = mine;
        }

        private async Task ReadAttributesAsync(IRdsApi rds, SnapshotEvidence snapshot, CancellationToken cancellationToken)
        {
            var id = snapshot.Snapshot.DBClusterSnapshotIdentifier;
            try
            {
                snapshot.Attributes = await rds.DescribeDBClusterSnapshotAttributesAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                snapshot.AttributesError = Failure(e, "SnapshotAttributeReadFailed", $"snapshot '{id}'").Message;
            }
        }

        // One listing of the region's proxies and each MySQL proxy's targets; a cluster's proxies are those that target it.
        private async Task<ProxyListing> ReadProxiesAsync(IRdsApi rds, CancellationToken cancellationToken)
        {
            IReadOnlyList<RdsDbProxy> proxies;
            try
            {
                proxies = await rds.DescribeDBProxiesAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return new ProxyListing { Error = Failure(e, "ProxyReadFailed", "the RDS Proxies of the region") };
            }

            var mysql = proxies.Where(p => p.EngineFamily == null || string.Equals(p.EngineFamily, "MYSQL", StringComparison.OrdinalIgnoreCase)).ToList();
            var targets = await Task.WhenAll(mysql.Select(async p =>
            {
                try
                {
                    var list = await rds.DescribeDBProxyTargetsAsync(p.DBProxyName, cancellationToken).ConfigureAwait(false);
                    return (Proxy: p, Targets: list, Error: (AuroraSecurityException?)null);
                }
                catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
                {
                    return (Proxy: p, Targets: (IReadOnlyList<RdsDbProxyTarget>)new RdsDbProxyTarget[0], Error: Failure(e, "ProxyTargetReadFailed", $"the targets of RDS Proxy '{p.DBProxyName}'"));
                }
            })).ConfigureAwait(false);

            // A proxy whose targets are unknown could front any cluster: every cluster's proxy check is then in doubt.
            var failed = targets.FirstOrDefault(t => t.Error != null).Error;
            return failed != null
                ? new ProxyListing { Error = failed }
                : new ProxyListing { Targets = targets.Select(t => (t.Proxy, t.Targets)).ToList() };
        }

        private static async Task AttachProxiesAsync(ClusterEvidence x, Task<ProxyListing> read)
        {
            var listing = await read.ConfigureAwait(false);
            if (listing.Error != null)
            {
                x.ProxiesError = listing.Error;
                return;
            }

            x.Proxies = listing.Targets!.Where(t => t.Targets.Any(g => string.Equals(g.TrackedClusterId, x.Cluster.ClusterIdentifier, StringComparison.OrdinalIgnoreCase)))
                .Select(t => t.Proxy).OrderBy(p => p.DBProxyName, StringComparer.Ordinal).ToList();
        }

        private AuroraSecurityException Failure(Exception e, string errorId, string subject)
        {
            if (e is AuroraSecurityException known) return known;
            if (e is RdsApiException api) return RdsErrorTranslator.Translate(api, subject, Region);
            return new AuroraSecurityException(errorId, FailureKind.ServiceError, $"Reading {subject} failed: {e.Message}", e);
        }
    }
}
