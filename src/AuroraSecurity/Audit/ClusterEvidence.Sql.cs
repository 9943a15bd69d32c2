using AuroraSecurity.Tls;
using System.Collections.Generic;

namespace AuroraSecurity.Audit
{
    /// <summary>The evidence from inside the database and from the wire, when the audit was asked to read it.</summary>
    public sealed partial class ClusterEvidence
    {
        /// <summary>What was read over SQL; null when not read (see <see cref="SqlNotRequested"/> and <see cref="SqlError"/>).</summary>
        public SqlEvidence? Sql { get; set; }

        /// <summary>Why the SQL checks do not apply (no credential given for this cluster); null when SQL evidence was asked for.</summary>
        public string? SqlNotRequested { get; set; } = SecurityCheckCatalog.NeedsSqlCredential;

        /// <summary>Why SQL evidence could not be read (login refused, TLS failure), translated for the user.</summary>
        public AuroraSecurityException? SqlError { get; set; }

        /// <summary>What each endpoint accepted in TLS handshakes; null when not probed.</summary>
        public IReadOnlyList<TlsEndpointProbeResult>? Wire { get; set; }

        /// <summary>Why the wire checks do not apply; null when the endpoints were to be probed.</summary>
        public string? WireNotRequested { get; set; } = SecurityCheckCatalog.NeedsProbeEndpoint;

        /// <summary>Why the endpoints could not be probed.</summary>
        public AuroraSecurityException? WireError { get; set; }
    }
}
