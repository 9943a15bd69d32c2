using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Audit
{
    /// <summary>
    /// The audit's wire step for one cluster: the endpoint scanner's handshakes against the cluster endpoint and each instance endpoint,
    /// each handshake holding one slot of the shared throttle.
    /// </summary>
    internal static class WireEvidenceStep
    {
        public static async Task ReadAsync(ClusterEvidence evidence, SemaphoreSlim gate, TimeSpan timeout, CancellationToken cancellationToken)
        {
            evidence.WireNotRequested = null;
            var cluster = evidence.Cluster;
            var endpoints = new List<(string Host, int Port)>();
            if (!string.IsNullOrEmpty(cluster.Endpoint)) endpoints.Add((cluster.Endpoint!, cluster.Port ?? 3306));
            foreach (var instance in (evidence.Instances ?? Array.Empty<Rds.RdsDbInstance>()).OrderBy(i => i.DBInstanceIdentifier, StringComparer.Ordinal))
            {
                if (!string.IsNullOrEmpty(instance.EndpointAddress)) endpoints.Add((instance.EndpointAddress!, instance.EndpointPort ?? cluster.Port ?? 3306));
            }

            if (endpoints.Count == 0)
            {
                evidence.WireError = new AuroraSecurityException("EndpointMissing", FailureKind.NotFound,
                    $"RDS reported no endpoint for cluster '{cluster.ClusterIdentifier}' or its instances (status {cluster.Status ?? "unknown"}), so nothing could be probed.");
                return;
            }

            var probes = new List<Task<IReadOnlyList<TlsEndpointProbeResult>>>();
            foreach (var (host, port) in endpoints)
            {
                foreach (var protocol in TlsProbe.ProtocolNames)
                {
                    probes.Add(HandshakeAsync(new TlsEndpointScanRequest { Endpoint = host, Port = port, Protocols = new[] { protocol }, Ciphers = Array.Empty<string>(), ThrottleLimit = 1, Timeout = timeout }, gate, cancellationToken));
                }

                foreach (var cipher in CipherCatalog.All)
                {
                    probes.Add(HandshakeAsync(new TlsEndpointScanRequest { Endpoint = host, Port = port, Protocols = Array.Empty<string>(), Ciphers = new[] { cipher.Name }, ThrottleLimit = 1, Timeout = timeout }, gate, cancellationToken));
                }
            }

            var results = (await Task.WhenAll(probes).ConfigureAwait(false)).SelectMany(r => r).ToList();
            var unreachable = results
                .Where(r => r.Kind == TlsProbeKind.Protocol && r.Name == "TLSv1.2" && r.Accepted == null)
                .Select(r => $"{r.Endpoint}:{r.Port} ({r.Detail ?? "no answer"})")
                .ToList();
            if (unreachable.Count > 0)
            {
                evidence.WireError = new AuroraSecurityException("EndpointUnreachable", FailureKind.ConnectionError,
                    $"The TLS probe could not reach {string.Join(", ", unreachable)}: check that this machine can connect to the endpoints (security group, VPN, port).");
                return;
            }

            evidence.Wire = results;
        }

        private static Task<IReadOnlyList<TlsEndpointProbeResult>> HandshakeAsync(TlsEndpointScanRequest request, SemaphoreSlim gate, CancellationToken cancellationToken) =>
            GatedRdsApi.RunGated(gate, ct => TlsEndpointScanner.ScanAsync(request, ct), cancellationToken);
    }
}
