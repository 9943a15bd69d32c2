using System;
using System.Collections.Generic;

namespace AuroraSecurity.Clusters
{
    /// <summary>The TLS posture of one Aurora MySQL cluster, as its DB cluster parameter group sets it.</summary>
    public sealed class AuroraTlsConfig
    {
        public string ClusterIdentifier { get; set; } = string.Empty;

        /// <summary>The same value as <see cref="ClusterIdentifier"/>, for binding by property name.</summary>
        public string DBClusterIdentifier => ClusterIdentifier;

        public string? DBClusterArn { get; set; }

        /// <summary>The account that owns the cluster, read from its ARN (null when RDS gave no ARN).</summary>
        public string? AccountId => AuroraSecurity.Clusters.ClusterArn.TryParse(DBClusterArn)?.AccountId;

        public string Region { get; set; } = string.Empty;

        public string? EngineVersion { get; set; }

        public int? AuroraMajorVersion { get; set; }

        public string ParameterGroupName { get; set; } = string.Empty;

        public string? ParameterGroupFamily { get; set; }

        /// <summary>Default groups ("default.aurora-mysql8.0") cannot be modified: a change needs a custom group first.</summary>
        public bool IsDefaultParameterGroup { get; set; }

        /// <summary>
        /// require_secure_transport: true when the cluster refuses unencrypted connections; false when OFF (also the engine default
        /// when RDS lists the parameter without a value as engine-default); null when unknown (see <see cref="UnknownFields"/>).
        /// </summary>
        public bool? RequireSecureTransport { get; set; }

        /// <summary>engine-default, system or user; null when RDS did not say or the group has no such parameter (Aurora MySQL 1).</summary>
        public string? RequireSecureTransportSource { get; set; }

        /// <summary>The tls_version value; null on Aurora MySQL 3, where it cannot be set, and when the group does not set it.</summary>
        public string? TlsVersion { get; set; }

        public string? TlsVersionSource { get; set; }

        /// <summary>False when tls_version matters (Aurora MySQL 2) but RDS's answer does not say what it is.</summary>
        public bool TlsVersionKnown { get; set; } = true;

        /// <summary>The TLS protocols the cluster accepts given tls_version (all of TLSv1, TLSv1.1, TLSv1.2 when unset; empty when unknown).</summary>
        public IReadOnlyList<string> TlsProtocols { get; set; } = new string[0];

        /// <summary>The ssl_cipher list, in OpenSSL names.</summary>
        public IReadOnlyList<string> SslCipher { get; set; } = new string[0];

        public string? SslCipherSource { get; set; }

        /// <summary>False when RDS's answer does not say what ssl_cipher is (see <see cref="UnknownFields"/>); an empty <see cref="SslCipher"/> is then unknown, not "default".</summary>
        public bool SslCipherKnown { get; set; } = true;

        /// <summary>What RDS's answers left out that the TLS posture depends on, each naming the field ("ssl_cipher: no ParameterValue and no Source"); empty when all is known.</summary>
        public IReadOnlyList<string> UnknownFields { get; set; } = new string[0];

        /// <summary>True when at least one instance has not yet applied the group's static changes (ssl_cipher, tls_version).</summary>
        public bool PendingReboot => PendingRebootMembers.Count > 0;

        /// <summary>The instances that still need a reboot for the group's static changes to take effect.</summary>
        public IReadOnlyList<string> PendingRebootMembers { get; set; } = new string[0];

        /// <summary>Instances whose DBClusterParameterGroupStatus RDS left out: whether they run the group's values is unknown.</summary>
        public IReadOnlyList<string> MembersWithUnknownStatus { get; set; } = new string[0];

        /// <summary>Whether the cluster accepts IAM database authentication tokens; null when RDS's answer did not say.</summary>
        public bool? IamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>The IAM database authentication setting RDS accepted but has not applied yet (PendingModifiedValues); null when none is pending.</summary>
        public bool? PendingIamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>Set by the change cmdlets: Applied, Pending, Unchanged or WhatIf; null on a plain read.</summary>
        public ChangeOutcome? Change { get; set; }

        /// <summary>Set by the change cmdlets: what was sent, what the read-back shows, and when it takes effect.</summary>
        public string? ChangeNote { get; set; }

        /// <summary>Set by the change cmdlets when Change is Pending: what RDS accepted but has not put in effect yet.</summary>
        public string? PendingChange { get; set; }

        /// <summary>Set by the change cmdlets: the instances that must reboot before the change is in effect; empty when none.</summary>
        public IReadOnlyList<string> RebootRequired { get; set; } = new string[0];

        public override string ToString() => ClusterIdentifier;

        internal static bool IsDefaultGroupName(string name) => name.StartsWith("default.", StringComparison.Ordinal);
    }
}
