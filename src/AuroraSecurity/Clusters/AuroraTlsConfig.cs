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

        /// <summary>require_secure_transport: true when the cluster refuses unencrypted connections.</summary>
        public bool RequireSecureTransport { get; set; }

        /// <summary>engine-default, system or user; null when the parameter group has no such parameter (Aurora MySQL 1).</summary>
        public string? RequireSecureTransportSource { get; set; }

        /// <summary>The tls_version value; null on Aurora MySQL 3, where it cannot be set, and when the group does not set it.</summary>
        public string? TlsVersion { get; set; }

        public string? TlsVersionSource { get; set; }

        /// <summary>The TLS protocols the cluster accepts given tls_version (all of TLSv1, TLSv1.1, TLSv1.2 when unset).</summary>
        public IReadOnlyList<string> TlsProtocols { get; set; } = new string[0];

        /// <summary>The ssl_cipher list, in OpenSSL names.</summary>
        public IReadOnlyList<string> SslCipher { get; set; } = new string[0];

        public string? SslCipherSource { get; set; }

        /// <summary>True when at least one instance has not yet applied the group's static changes (ssl_cipher, tls_version).</summary>
        public bool PendingReboot => PendingRebootMembers.Count > 0;

        /// <summary>The instances that still need a reboot for the group's static changes to take effect.</summary>
        public IReadOnlyList<string> PendingRebootMembers { get; set; } = new string[0];

        /// <summary>Whether the cluster accepts IAM database authentication tokens.</summary>
        public bool IamDatabaseAuthenticationEnabled { get; set; }

        /// <summary>Set by the change cmdlets: Applied, Unchanged or WhatIf; null on a plain read.</summary>
        public ChangeOutcome? Change { get; set; }

        /// <summary>Set by the change cmdlets: what the change means for clients and when it takes effect.</summary>
        public string? ChangeNote { get; set; }

        public override string ToString() => ClusterIdentifier;

        internal static bool IsDefaultGroupName(string name) => name.StartsWith("default.", StringComparison.Ordinal);
    }
}
