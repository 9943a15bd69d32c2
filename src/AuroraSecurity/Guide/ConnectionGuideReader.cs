using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Guide
{
    /// <summary>Reads what the connection guide needs about a cluster from RDS: endpoints, port, writer, TLS posture, IAM, the instances' CA (through the CA check).</summary>
    public sealed class ConnectionGuideReader
    {
        private readonly IRdsApi _rds;
        private readonly AuroraClusterService _clusters;
        private readonly Func<DateTime> _utcNow;

        public ConnectionGuideReader(IRdsApi rds, string region, Func<DateTime>? utcNow = null)
        {
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _clusters = new AuroraClusterService(rds, region);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        /// <summary>
        /// The facts for each named cluster, in order: a cluster that cannot be found is a failure of its own; a read that fails after the
        /// cluster was found (parameters, instances) leaves that part unknown and says why in <see cref="ConnectionFacts.Gaps"/>.
        /// </summary>
        public async Task<IReadOnlyList<ClusterOutcome<ConnectionFacts>>> ReadAsync(IReadOnlyList<string> identifiers, CancellationToken cancellationToken)
        {
            var clusters = await _clusters.GetClustersAsync(identifiers, cancellationToken).ConfigureAwait(false);
            var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
            var cache = _clusters.CreateParameterGroupCache();
            try
            {
                var tls = _clusters.StartTlsConfigReads(found, cache, cancellationToken);
                var instances = found.Select(c => ReadInstancesAsync(c, cancellationToken)).ToList();
                await Task.WhenAll(tls.Cast<Task>().Concat(instances)).ConfigureAwait(false);

                var results = new List<ClusterOutcome<ConnectionFacts>>();
                var next = 0;
                foreach (var outcome in clusters)
                {
                    if (!outcome.Succeeded)
                    {
                        results.Add(ClusterOutcome<ConnectionFacts>.Failure(outcome.Identifier, outcome.Error!));
                        continue;
                    }

                    var facts = Combine(outcome.Value!, tls[next].Result, instances[next].Result);
                    next++;
                    results.Add(ClusterOutcome<ConnectionFacts>.Success(outcome.Identifier, facts));
                }

                return results;
            }
            finally
            {
                cache.Cancel();
            }
        }

        private ConnectionFacts Combine(AuroraCluster cluster, ClusterOutcome<AuroraTlsConfig> tls, InstanceRead instances)
        {
            var writer = cluster.Members.FirstOrDefault(m => m.IsWriter == true);
            var facts = new ConnectionFacts
            {
                ClusterIdentifier = cluster.ClusterIdentifier,
                Region = string.IsNullOrEmpty(cluster.Region) ? null : cluster.Region,
                Endpoint = cluster.Endpoint ?? string.Empty,
                Port = cluster.Port ?? 3306,
                WriterInstance = writer?.InstanceIdentifier,
                EngineVersion = cluster.EngineVersion,
                IamDatabaseAuthenticationEnabled = cluster.IamDatabaseAuthenticationEnabled,
            };

            if (tls.Succeeded)
            {
                var config = tls.Value!;
                // The read already says false on Aurora MySQL 1 (no require_secure_transport: plaintext always accepted) and null
                // where RDS left the parameter or its value out (unknown); a value is a value whatever its Source.
                facts.RequireSecureTransport = config.RequireSecureTransport;
                facts.TlsProtocols = config.TlsProtocols;
                facts.SslCipher = config.SslCipher;
                facts.PendingRebootMembers = config.PendingRebootMembers;
            }
            else
            {
                facts.Gaps.Add($"The cluster's TLS settings could not be read ({tls.Error!.Message}); require_secure_transport, tls_version and ssl_cipher are unknown.");
            }

            var evidence = new ClusterEvidence(cluster, _utcNow());
            if (instances.Error == null)
            {
                evidence.Instances = instances.Instances;
                var list = instances.Instances!;
                if (writer != null)
                {
                    facts.WriterEndpoint = list.FirstOrDefault(i => string.Equals(i.DBInstanceIdentifier, writer.InstanceIdentifier, StringComparison.OrdinalIgnoreCase))?.EndpointAddress;
                }

                facts.InstanceCas = list.Select(i => i.CACertificateIdentifier).Where(ca => !string.IsNullOrEmpty(ca)).Select(ca => ca!)
                    .Distinct(StringComparer.Ordinal).OrderBy(ca => ca, StringComparer.Ordinal).ToList();
            }
            else
            {
                evidence.InstancesError = instances.Error;
                facts.Gaps.Add($"The cluster's instances could not be read ({instances.Error.Message}); the writer endpoint and the CA in use are unknown.");
            }

            var check = SecurityCheckCatalog.Find(SecurityCheckCatalog.CaCertificate);
            if (check != null && instances.Error == null)
            {
                var finding = ClusterChecks.Evaluate(check, evidence);
                facts.CaCheckStatus = finding.Status.ToString();
                facts.CaCheckReason = finding.Reason;
            }

            return facts;
        }

        private async Task<InstanceRead> ReadInstancesAsync(AuroraCluster cluster, CancellationToken cancellationToken)
        {
            try
            {
                var list = await _rds.DescribeDBInstancesAsync(null, new[] { new RdsFilter("db-cluster-id", cluster.ClusterIdentifier) }, cancellationToken).ConfigureAwait(false);
                return new InstanceRead(list, null);
            }
            catch (RdsApiException e)
            {
                return new InstanceRead(null, RdsErrorTranslator.Translate(e, $"the instances of cluster '{cluster.ClusterIdentifier}'", _clusters.Region));
            }
        }

        private sealed class InstanceRead
        {
            public InstanceRead(IReadOnlyList<RdsDbInstance>? instances, AuroraSecurityException? error)
            {
                Instances = instances;
                Error = error;
            }

            public IReadOnlyList<RdsDbInstance>? Instances { get; }
            public AuroraSecurityException? Error { get; }
        }
    }
}
