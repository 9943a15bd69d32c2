using System.Collections.Generic;

namespace AuroraSecurity.Guide
{
    /// <summary>What the guide knows about the place to connect to: read from RDS for a cluster, or given by hand (then most of it is unknown).</summary>
    public sealed class ConnectionFacts
    {
        /// <summary>The cluster's identifier; null when only an endpoint was given.</summary>
        public string? ClusterIdentifier { get; set; }

        public string? Region { get; set; }

        /// <summary>The endpoint clients that check Subject Alternative Names connect to (the cluster endpoint, or the one given).</summary>
        public string Endpoint { get; set; } = string.Empty;

        public int Port { get; set; } = 3306;

        /// <summary>The writer instance's own endpoint, for clients that check only the certificate's Common Name; null when unknown.</summary>
        public string? WriterEndpoint { get; set; }

        public string? WriterInstance { get; set; }

        public string? EngineVersion { get; set; }

        /// <summary>Whether the cluster accepts IAM tokens; null when unknown.</summary>
        public bool? IamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>require_secure_transport; null when unknown.</summary>
        public bool? RequireSecureTransport { get; set; }

        /// <summary>The TLS protocols the cluster accepts; null when unknown.</summary>
        public IReadOnlyList<string>? TlsProtocols { get; set; }

        /// <summary>The ssl_cipher list; empty when the engine default applies, null when unknown.</summary>
        public IReadOnlyList<string>? SslCipher { get; set; }

        /// <summary>Instances still running older ssl_cipher/tls_version values; the posture above applies to them after a reboot.</summary>
        public IReadOnlyList<string> PendingRebootMembers { get; set; } = new string[0];

        /// <summary>The CA identifiers the instances use now (rds-ca-rsa2048-g1…); null when unknown.</summary>
        public IReadOnlyList<string>? InstanceCas { get; set; }

        /// <summary>The CA check's status and reason (Pass, Warning, Fail…); null when not run.</summary>
        public string? CaCheckStatus { get; set; }

        public string? CaCheckReason { get; set; }

        /// <summary>Why parts of the posture are unknown (an RDS read that failed), for the notes.</summary>
        public List<string> Gaps { get; } = new List<string>();
    }
}
