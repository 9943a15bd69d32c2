using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Engine;
using AuroraSecurity.Rds;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Clusters
{
    /// <summary>Finds Aurora MySQL clusters and reads their TLS settings over <see cref="IRdsApi"/>; the cmdlets' only way to RDS for clusters.</summary>
    public sealed class AuroraClusterService
    {
        /// <summary>RDS calls in flight at once unless the caller says otherwise.</summary>
        public const int DefaultThrottleLimit = 8;

        public const string RequireSecureTransportParameter = "require_secure_transport";
        public const string TlsVersionParameter = "tls_version";
        public const string SslCipherParameter = "ssl_cipher";

        // Keeps each lookup's filter short and its answer on one page (MaxRecords is at most 100).
        private const int IdentifiersPerRequest = 50;

        private readonly IRdsApi _rds;

        public AuroraClusterService(IRdsApi rds, string region)
        {
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            Region = region ?? string.Empty;
        }

        public string Region { get; }

        /// <summary>A cache for one invocation: each distinct parameter group is read once, at most <paramref name="throttleLimit"/> at a time.</summary>
        public ParameterGroupCache CreateParameterGroupCache(int throttleLimit = DefaultThrottleLimit) => new ParameterGroupCache(_rds, throttleLimit);

        /// <summary>The identifier of a cluster given by identifier or ARN (arn:aws:rds:region:account:cluster:id).</summary>
        public static string IdentifierOf(string identifierOrArn)
        {
            var text = (identifierOrArn ?? string.Empty).Trim();
            return ClusterArn.LooksLikeArn(text) ? ClusterArn.Parse(text).Identifier : text;
        }

        /// <summary>
        /// Every Aurora MySQL cluster when <paramref name="identifiers"/> is empty (other engines are skipped);
        /// otherwise one outcome per distinct identifier or ARN, in the order given: the cluster, or why not.
        /// An ARN must name this service's region, and the cluster RDS returns must carry an ARN of the same
        /// partition and account: an ARN for another account is refused, never served by a namesake in this one.
        /// </summary>
        public async Task<IReadOnlyList<ClusterOutcome<AuroraCluster>>> GetClustersAsync(IReadOnlyList<string>? identifiers, CancellationToken cancellationToken, int throttleLimit = DefaultThrottleLimit)
        {
            if (identifiers == null || identifiers.Count == 0)
            {
                var all = await ListClustersAsync(cancellationToken).ConfigureAwait(false);
                return all.Select(c => ClusterOutcome<AuroraCluster>.Success(c.ClusterIdentifier, c)).ToList();
            }

            var requests = new List<ClusterRequest>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var given in identifiers)
            {
                if (string.IsNullOrWhiteSpace(given)) continue;
                var request = ClusterRequest.Create(given, Region);
                if (seen.Add(request.Key)) requests.Add(request);
            }

            var lookups = requests.Where(r => r.Error == null).Select(r => r.Identifier).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var found = new Dictionary<string, ClusterOutcome<AuroraCluster>>(StringComparer.OrdinalIgnoreCase);
            using (var throttle = new SemaphoreSlim(Math.Max(1, throttleLimit)))
            {
                var batches = new List<Task<List<ClusterOutcome<AuroraCluster>>>>();
                for (var start = 0; start < lookups.Count; start += IdentifiersPerRequest)
                {
                    var batch = lookups.Skip(start).Take(IdentifiersPerRequest).ToList();
                    batches.Add(LookUpAsync(batch, throttle, cancellationToken));
                }

                foreach (var results in await Task.WhenAll(batches).ConfigureAwait(false))
                {
                    foreach (var outcome in results) found[outcome.Identifier] = outcome;
                }
            }

            return requests.Select(r =>
            {
                if (r.Error != null) return ClusterOutcome<AuroraCluster>.Failure(r.Target, r.Error);
                var outcome = found[r.Identifier];
                if (!outcome.Succeeded || r.Arn == null) return outcome;
                var mismatch = OwnerMismatch(r.Arn, outcome.Value!);
                return mismatch == null ? outcome : ClusterOutcome<AuroraCluster>.Failure(r.Target, mismatch);
            }).ToList();
        }

        /// <summary>Why the cluster RDS returned is not the one <paramref name="arn"/> names (null when it is).</summary>
        /// <summary>A cluster ARN whose account the credentials or roles in use do not reach.</summary>
        public static AuroraSecurityException AccountMismatch(string message) =>
            new AuroraSecurityException("ClusterArnAccountMismatch", FailureKind.SecurityError, message);

        internal static AuroraSecurityException? OwnerMismatch(ClusterArn arn, AuroraCluster cluster)
        {
            var returned = ClusterArn.TryParse(cluster.DBClusterArn);
            if (returned == null)
            {
                return new AuroraSecurityException("ClusterArnAccountUnproven", FailureKind.SecurityError,
                    $"RDS did not report a usable ARN for cluster '{cluster.ClusterIdentifier}' in {cluster.Region}, so it cannot be shown to be the cluster of account " +
                    $"{arn.AccountId} that '{EchoedInput.Shorten(arn.Text)}' names; nothing was read or changed through it. Name the cluster by its identifier if you mean the one these credentials reach.");
            }

            if (!string.Equals(returned.AccountId, arn.AccountId, StringComparison.Ordinal) || !string.Equals(returned.Partition, arn.Partition, StringComparison.Ordinal))
            {
                return AccountMismatch(
                    $"'{EchoedInput.Shorten(arn.Text)}' names a cluster of account {arn.AccountId} ({arn.Partition}), but the credentials in use reach account " +
                    $"{returned.AccountId} ({returned.Partition}); its cluster '{cluster.ClusterIdentifier}' is a different cluster and was not read or changed. " +
                    $"Use credentials for account {arn.AccountId} (-ProfileName, or -RoleArn with a role in that account).");
            }

            return null;
        }

        /// <summary>Every Aurora MySQL cluster in the region, by identifier; Neptune, DocumentDB and PostgreSQL clusters are skipped.</summary>
        public async Task<IReadOnlyList<AuroraCluster>> ListClustersAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<RdsDbCluster> clusters;
            try
            {
                clusters = await _rds.DescribeDBClustersAsync(null, new[] { new RdsFilter("engine", AuroraCluster.MySqlEngines.ToArray()) }, cancellationToken).ConfigureAwait(false);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, "the cluster list", Region);
            }

            return clusters
                .Where(c => AuroraCluster.IsMySqlEngine(c.Engine))
                .Select(c => AuroraCluster.FromRds(c, Region))
                .OrderBy(c => c.ClusterIdentifier, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>The TLS settings of one cluster, reading its parameter group through <paramref name="cache"/>.</summary>
        public async Task<AuroraTlsConfig> GetTlsConfigAsync(AuroraCluster cluster, ParameterGroupCache cache, CancellationToken cancellationToken)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            if (cache == null) throw new ArgumentNullException(nameof(cache));
            if (string.IsNullOrEmpty(cluster.ParameterGroupName))
            {
                throw ParameterGroupUnknown(cluster);
            }

            IReadOnlyList<RdsParameter> parameters;
            try
            {
                parameters = await cache.GetParametersAsync(cluster.ParameterGroupName!, cancellationToken).ConfigureAwait(false);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, $"cluster '{cluster.ClusterIdentifier}' (parameter group '{cluster.ParameterGroupName}')", Region);
            }

            return BuildTlsConfig(cluster, parameters);
        }

        /// <summary>
        /// Starts reading the TLS settings of every cluster (RDS calls bounded by the cache's throttle); one task per
        /// cluster, in order, each ending in a value or a failure for that cluster alone. Only cancellation faults a task.
        /// </summary>
        public IReadOnlyList<Task<ClusterOutcome<AuroraTlsConfig>>> StartTlsConfigReads(IEnumerable<AuroraCluster> clusters, ParameterGroupCache cache, CancellationToken cancellationToken)
        {
            if (clusters == null) throw new ArgumentNullException(nameof(clusters));
            return clusters.Select(c => ReadOneAsync(c, cache, cancellationToken)).ToList();
        }

        /// <summary>Engine default cluster parameters of a family (aurora-mysql5.7, aurora-mysql8.0, …), every page.</summary>
        public async Task<IReadOnlyList<AuroraParameter>> GetEngineDefaultParametersAsync(string family, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(family))
            {
                throw new AuroraSecurityException("ParameterGroupFamilyMissing", FailureKind.InvalidArgument, "Name a DB parameter group family, e.g. aurora-mysql8.0.");
            }

            try
            {
                var parameters = await _rds.DescribeEngineDefaultClusterParametersAsync(family.Trim(), cancellationToken).ConfigureAwait(false);
                return parameters.Select(p => AuroraParameter.FromRds(p, family.Trim())).ToList();
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, $"family '{family.Trim()}'", Region);
            }
        }

        /// <summary>
        /// Reads the TLS settings out of a parameter group's parameters; no I/O. A value is read whatever its Source; a parameter the
        /// listing leaves out, or a value RDS gives neither with a value nor a Source, is unknown and named in UnknownFields.
        /// </summary>
        public static AuroraTlsConfig BuildTlsConfig(AuroraCluster cluster, IReadOnlyList<RdsParameter> parameters)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            var byName = new Dictionary<string, RdsParameter>(StringComparer.Ordinal);
            foreach (var p in parameters ?? new RdsParameter[0]) byName[p.ParameterName] = p;
            byName.TryGetValue(RequireSecureTransportParameter, out var requireSecureTransport);
            byName.TryGetValue(TlsVersionParameter, out var tlsVersion);
            byName.TryGetValue(SslCipherParameter, out var sslCipher);

            var groupName = cluster.ParameterGroupName ?? string.Empty;
            var unknown = new List<string>();
            var pending = cluster.Members.Where(m => m.PendingReboot).Select(m => m.InstanceIdentifier).ToArray();
            var unknownStatus = cluster.Members.Where(m => !m.ParameterGroupStatusKnown).Select(m => m.InstanceIdentifier).ToArray();
            var config = new AuroraTlsConfig
            {
                ClusterIdentifier = cluster.ClusterIdentifier,
                DBClusterArn = cluster.DBClusterArn,
                Region = cluster.Region,
                EngineVersion = cluster.EngineVersion,
                AuroraMajorVersion = cluster.AuroraMajorVersion,
                ParameterGroupName = groupName,
                ParameterGroupFamily = cluster.ParameterGroupFamily,
                IsDefaultParameterGroup = AuroraTlsConfig.IsDefaultGroupName(groupName),
                RequireSecureTransportSource = requireSecureTransport?.Source,
                SslCipherSource = sslCipher?.Source,
                PendingRebootMembers = pending,
                MembersWithUnknownStatus = unknownStatus,
                IamDatabaseAuthenticationEnabled = cluster.IamDatabaseAuthenticationEnabled,
                PendingIamDatabaseAuthenticationEnabled = cluster.PendingIamDatabaseAuthenticationEnabled,
            };

            // require_secure_transport: Aurora MySQL 1 has none (nothing can require TLS there); elsewhere a missing entry is unknown.
            if (requireSecureTransport == null)
            {
                if (AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.RequireSecureTransportAvailable == false) config.RequireSecureTransport = false;
                else unknown.Add($"{RequireSecureTransportParameter}: the parameter listing of group '{groupName}' has no such parameter");
            }
            else if (!string.IsNullOrWhiteSpace(requireSecureTransport.ParameterValue))
            {
                config.RequireSecureTransport = OnOff(requireSecureTransport.ParameterValue);
                if (config.RequireSecureTransport == null) unknown.Add($"{RequireSecureTransportParameter}: the value '{requireSecureTransport.ParameterValue!.Trim()}' is neither ON nor OFF");
            }
            else if (IsDefaultSource(requireSecureTransport.Source))
            {
                // Listed without a value as engine-default or system: the engine's default, OFF per the Aurora MySQL User Guide.
                config.RequireSecureTransport = false;
            }
            else
            {
                unknown.Add($"{RequireSecureTransportParameter}: RDS gave neither a ParameterValue nor a Source");
            }

            var tlsVersionSettable = AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.TlsVersionSettable ?? true;
            if (tlsVersionSettable)
            {
                config.TlsVersionSource = tlsVersion?.Source;
                if (tlsVersion == null)
                {
                    config.TlsVersionKnown = false;
                    unknown.Add($"{TlsVersionParameter}: the parameter listing of group '{groupName}' has no such parameter");
                }
                else if (!string.IsNullOrWhiteSpace(tlsVersion.ParameterValue))
                {
                    config.TlsVersion = tlsVersion.ParameterValue!.Trim();
                }
                else if (!IsDefaultSource(tlsVersion.Source))
                {
                    config.TlsVersionKnown = false;
                    unknown.Add($"{TlsVersionParameter}: RDS gave neither a ParameterValue nor a Source");
                }
            }

            config.TlsProtocols = config.TlsVersionKnown ? ProtocolsOf(config.TlsVersion) : new string[0];

            if (sslCipher == null)
            {
                if (AuroraTlsRules.TryFor(cluster.AuroraMajorVersion)?.CipherSuitesConfigurable != false)
                {
                    config.SslCipherKnown = false;
                    unknown.Add($"{SslCipherParameter}: the parameter listing of group '{groupName}' has no such parameter");
                }
            }
            else if (!string.IsNullOrWhiteSpace(sslCipher.ParameterValue))
            {
                config.SslCipher = SplitList(sslCipher.ParameterValue);
            }
            else if (!IsDefaultSource(sslCipher.Source))
            {
                config.SslCipherKnown = false;
                unknown.Add($"{SslCipherParameter}: RDS gave neither a ParameterValue nor a Source");
            }

            config.UnknownFields = unknown;
            return config;
        }

        /// <summary>engine-default and system are values RDS supplies; a value listed without them and without a value is unknown.</summary>
        private static bool IsDefaultSource(string? source) =>
            string.Equals(source, "engine-default", StringComparison.Ordinal) || string.Equals(source, "system", StringComparison.Ordinal);

        private async Task<ClusterOutcome<AuroraTlsConfig>> ReadOneAsync(AuroraCluster cluster, ParameterGroupCache cache, CancellationToken cancellationToken)
        {
            try
            {
                var config = await GetTlsConfigAsync(cluster, cache, cancellationToken).ConfigureAwait(false);
                return ClusterOutcome<AuroraTlsConfig>.Success(cluster.ClusterIdentifier, config);
            }
            catch (AuroraSecurityException e)
            {
                return ClusterOutcome<AuroraTlsConfig>.Failure(cluster.ClusterIdentifier, e);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                return ClusterOutcome<AuroraTlsConfig>.Failure(cluster.ClusterIdentifier, new AuroraSecurityException("TlsConfigReadFailed", FailureKind.ServiceError,
                    $"Reading the TLS settings of cluster '{cluster.ClusterIdentifier}' failed: {e.Message}", e));
            }
        }

        private async Task<List<ClusterOutcome<AuroraCluster>>> LookUpAsync(List<string> identifiers, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            IReadOnlyList<RdsDbCluster> found;
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                found = await _rds.DescribeDBClustersAsync(null, new[] { new RdsFilter("db-cluster-id", identifiers.ToArray()) }, cancellationToken).ConfigureAwait(false);
            }
            catch (RdsApiException e)
            {
                // A failed batch fails each of its clusters alike, so none goes missing from the output.
                return identifiers.Select(id => ClusterOutcome<AuroraCluster>.Failure(id, RdsErrorTranslator.Translate(e, $"cluster '{id}'", Region))).ToList();
            }
            finally
            {
                throttle.Release();
            }

            var results = new List<ClusterOutcome<AuroraCluster>>(identifiers.Count);
            foreach (var id in identifiers)
            {
                var cluster = found.FirstOrDefault(c => string.Equals(c.DBClusterIdentifier, id, StringComparison.OrdinalIgnoreCase));
                if (cluster == null)
                {
                    results.Add(ClusterOutcome<AuroraCluster>.Failure(id, RdsErrorTranslator.ClusterNotFound($"cluster '{EchoedInput.Shorten(id)}'", Region)));
                }
                else if (!AuroraCluster.IsMySqlEngine(cluster.Engine))
                {
                    results.Add(ClusterOutcome<AuroraCluster>.Failure(id, new AuroraSecurityException("ClusterNotAuroraMySql", FailureKind.InvalidArgument,
                        $"Cluster '{cluster.DBClusterIdentifier}' runs engine '{cluster.Engine}', not Aurora MySQL (aurora-mysql or aurora); AuroraSecurity manages Aurora MySQL clusters only.")));
                }
                else
                {
                    results.Add(ClusterOutcome<AuroraCluster>.Success(id, AuroraCluster.FromRds(cluster, Region)));
                }
            }

            return results;
        }

        /// <summary>A cluster RDS reports without a DB cluster parameter group (it is being created or changed).</summary>
        internal static AuroraSecurityException ParameterGroupUnknown(AuroraCluster cluster) =>
            new AuroraSecurityException("ClusterParameterGroupUnknown", FailureKind.InvalidOperation,
                $"RDS reports no DB cluster parameter group for cluster '{cluster.ClusterIdentifier}' (status {cluster.Status ?? "unknown"}); try again when the cluster is available.");

        // One named cluster: its identifier, the ARN it was given as (if any), and why it cannot be looked up (if it cannot).
        private sealed class ClusterRequest
        {
            public string Key { get; private set; } = string.Empty;

            public string Target { get; private set; } = string.Empty;

            public string Identifier { get; private set; } = string.Empty;

            public ClusterArn? Arn { get; private set; }

            public AuroraSecurityException? Error { get; private set; }

            public static ClusterRequest Create(string given, string region)
            {
                var text = given.Trim();
                if (!ClusterArn.LooksLikeArn(text))
                {
                    return new ClusterRequest { Key = "id:" + text.ToLowerInvariant(), Target = text, Identifier = text };
                }

                try
                {
                    var arn = ClusterArn.Parse(text);
                    var request = new ClusterRequest { Key = "arn:" + arn.Text, Target = arn.Text, Identifier = arn.Identifier, Arn = arn };
                    if (!string.Equals(arn.Region, region, StringComparison.Ordinal))
                    {
                        request.Error = arn.RegionMismatch($"this request goes to {region}");
                    }

                    return request;
                }
                catch (AuroraSecurityException e)
                {
                    return new ClusterRequest { Key = "bad:" + text, Target = EchoedInput.Shorten(text), Identifier = text, Error = e };
                }
            }
        }

        /// <summary>True for ON/1/TRUE, false for OFF/0/FALSE, null for anything else.</summary>
        internal static bool? OnOff(string? value) => ParameterValues.OnOff(value);

        private static IReadOnlyList<string> SplitList(string? value) =>
            (value ?? string.Empty).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        private static IReadOnlyList<string> ProtocolsOf(string? tlsVersion)
        {
            var items = SplitList(tlsVersion);
            if (items.Count == 0) return AuroraTlsRules.TlsVersionValues.ToArray();
            try
            {
                // One value means "this and every later version"; a list names each version allowed.
                return items.Count == 1
                    ? AuroraTlsRules.ProtocolsPermittedBy(items[0])
                    : items.Select(AuroraTlsRules.NormalizeTlsVersion).Distinct().ToArray();
            }
            catch (ArgumentException)
            {
                return items.ToArray();
            }
        }
    }
}
