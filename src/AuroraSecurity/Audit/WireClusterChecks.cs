using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Audit
{
    /// <summary>The checks on what the endpoints accepted in TLS handshakes; no I/O.</summary>
    internal static class WireClusterChecks
    {
        private static readonly string[] OldProtocols = { "TLSv1.0", "TLSv1.1" };

        public static CheckVerdict OldProtocolsRefused(ClusterEvidence e)
        {
            var results = e.Wire!.Where(r => r.Kind == TlsProbeKind.Protocol && OldProtocols.Contains(r.Name, StringComparer.Ordinal)).ToList();
            var accepted = results.Where(r => r.Accepted == true).Select(Line).ToList();
            var untested = results.Where(r => r.Accepted == null).Select(Untested).ToList();
            if (accepted.Count > 0)
            {
                return CheckVerdict.Fail($"Endpoints completed handshakes with TLS 1.0 or 1.1: {Join(accepted)}." + (untested.Count > 0 ? $" Not tested: {Join(untested)}." : string.Empty));
            }

            if (untested.Count > 0 || results.Count == 0)
            {
                return CheckVerdict.Warning($"The probe could not prove that TLS 1.0 and 1.1 are refused: {(results.Count == 0 ? "no endpoint was probed" : Join(untested))}. This is a limit of the probing client, not a verdict on the endpoint.",
                    "Run the probe from a client whose TLS library can still offer TLS 1.0 and 1.1 (Test-AuroraTlsEndpoint -TlsVersion TLSv1.0, TLSv1.1)");
            }

            return CheckVerdict.Pass($"Every endpoint refused TLS 1.0 and 1.1: {Join(Endpoints(results))}.");
        }

        public static CheckVerdict NoDheWhereEcdhe(ClusterEvidence e)
        {
            var ciphers = e.Wire!.Where(r => r.Kind == TlsProbeKind.Cipher).ToList();
            var untested = ciphers.Where(r => r.Accepted == null).ToList();
            var byEndpoint = ciphers.Where(r => r.Accepted == true).GroupBy(r => r.Endpoint, StringComparer.OrdinalIgnoreCase).ToList();
            var dheWithEcdhe = byEndpoint
                .Where(g => g.Any(r => AvailabilityOf(r) == CipherAvailability.Ecdhe))
                .SelectMany(g => g.Where(r => AvailabilityOf(r) == CipherAvailability.Dhe))
                .Select(Line).ToList();
            if (dheWithEcdhe.Count > 0) return CheckVerdict.Fail($"Endpoints that accept ECDHE ciphers also completed DHE handshakes: {Join(dheWithEcdhe)}.");
            if (untested.Count > 0 || ciphers.Count == 0)
            {
                return CheckVerdict.Warning($"The probe could not test the ciphers: {(ciphers.Count == 0 ? "no cipher was probed" : untested.First().Detail ?? "not tested")}. This is a limit of the probing client, not a verdict on the endpoint.",
                    "Run Invoke-AuroraSecurityAudit -ProbeEndpoint from PowerShell 7 on Linux or macOS, where a handshake can offer one cipher at a time");
            }

            if (!byEndpoint.Any(g => g.Any(r => AvailabilityOf(r) == CipherAvailability.Ecdhe)))
            {
                return CheckVerdict.NotApplicable("No endpoint accepted an ECDHE cipher, so DHE is the forward-secret choice there.");
            }

            return CheckVerdict.Pass($"No endpoint that accepts ECDHE completed a DHE handshake ({Join(Endpoints(ciphers))}).");
        }

        public static CheckVerdict MatchesGroup(ClusterEvidence e)
        {
            var tls = e.TlsConfig!;
            var results = e.Wire!;
            var drift = new List<string>();
            var compared = new List<string>();
            if (tls.TlsVersion != null)
            {
                var allowed = SqlClusterChecks.Protocols(tls.TlsProtocols);
                compared.Add($"tls_version '{tls.TlsVersion}'");
                drift.AddRange(results.Where(r => r.Kind == TlsProbeKind.Protocol && r.Accepted == true && !allowed.Contains(r.Name, StringComparer.Ordinal))
                    .Select(r => $"{r.Endpoint}:{r.Port} accepted {r.Name}, which tls_version '{tls.TlsVersion}' leaves out"));
            }

            if (string.Equals(tls.SslCipherSource, "user", StringComparison.Ordinal) && tls.SslCipher.Count > 0)
            {
                compared.Add($"ssl_cipher '{string.Join(",", tls.SslCipher)}'");
                drift.AddRange(results.Where(r => r.Kind == TlsProbeKind.Cipher && r.Accepted == true && !tls.SslCipher.Contains(r.Name, StringComparer.OrdinalIgnoreCase))
                    .Select(r => $"{r.Endpoint}:{r.Port} accepted {r.Name}, which ssl_cipher leaves out"));
            }

            if (compared.Count == 0)
            {
                return CheckVerdict.NotApplicable($"The group '{tls.ParameterGroupName}' sets neither tls_version nor ssl_cipher, so the engine's defaults apply and there is nothing to drift from.");
            }

            if (drift.Count > 0)
            {
                return CheckVerdict.Fail($"Drift from the group '{tls.ParameterGroupName}' ({Join(compared)}): {string.Join("; ", drift)}. Likely cause: {SqlClusterChecks.DriftCause(e.Cluster, dynamic: false)}");
            }

            var untested = results.Where(r => r.Accepted == null).Select(Untested).ToList();
            if (untested.Count > 0)
            {
                return CheckVerdict.Warning($"Nothing accepted contradicts the group's {Join(compared)}, but the probe could not test: {Join(untested)}. This is a limit of the probing client, not a verdict on the endpoint.");
            }

            return CheckVerdict.Pass($"Every protocol and cipher the endpoints accepted is allowed by the group's {Join(compared)} ({Join(Endpoints(results))}).");
        }

        private static CipherAvailability? AvailabilityOf(TlsEndpointProbeResult result) => CipherCatalog.Find(result.Name)?.Availability;

        private static IEnumerable<string> Endpoints(IEnumerable<TlsEndpointProbeResult> results) =>
            results.Select(r => $"{r.Endpoint}:{r.Port}").Distinct(StringComparer.OrdinalIgnoreCase);

        private static string Line(TlsEndpointProbeResult r) => $"{r.Endpoint}:{r.Port} {r.Name}";

        private static string Untested(TlsEndpointProbeResult r) => $"{r.Endpoint}:{r.Port} {r.Name} ({r.Detail ?? "not testable from this client"})";

        private static string Join(IEnumerable<string> items) => string.Join(", ", items);
    }
}
