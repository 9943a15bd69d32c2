using System.Collections.Generic;

namespace AuroraSecurity.Guide
{
    /// <summary>How one client connects securely to one Aurora MySQL cluster or endpoint: the exact command line, URL or connection string, and why.</summary>
    public sealed class ClientConnectionGuide
    {
        /// <summary>The cluster; null when the guide was written for an endpoint given by hand.</summary>
        public string? ClusterIdentifier { get; set; }

        /// <summary>The same value as <see cref="ClusterIdentifier"/>, for binding by property name.</summary>
        public string? DBClusterIdentifier => ClusterIdentifier;

        /// <summary>The client's short name (mysql, mariadb, MySqlConnector, ConnectorJ, mysql-connector-python, PyMySQL, Connect-AuroraMySql, mysql-5.6).</summary>
        public string Client { get; set; } = string.Empty;

        /// <summary>The client as people call it ("MySQL 8.0 client (mysql)").</summary>
        public string ClientName { get; set; } = string.Empty;

        /// <summary>CommandLine, ConnectionString, Url, Python or PowerShell.</summary>
        public string Kind { get; set; } = string.Empty;

        /// <summary>The host name the client connects to.</summary>
        public string Endpoint { get; set; } = string.Empty;

        public int Port { get; set; }

        /// <summary>Cluster (the cluster endpoint), WriterInstance (a client that checks only the Common Name) or Given.</summary>
        public string EndpointKind { get; set; } = string.Empty;

        /// <summary>Whether this client checks the certificate's Subject Alternative Names.</summary>
        public bool ChecksSubjectAlternativeNames { get; set; }

        /// <summary>The exact command line, connection string, URL or code; the password is always a prompt or a placeholder.</summary>
        public string Connection { get; set; } = string.Empty;

        /// <summary>With IAM authentication: the command that makes the token (valid 15 minutes); null otherwise.</summary>
        public string? TokenStep { get; set; }

        public bool IamAuthentication { get; set; }

        /// <summary>The CA bundle the connection names (a path as the client sees it).</summary>
        public string SslCa { get; set; } = string.Empty;

        /// <summary>Where to download the bundle for the cluster's partition and region.</summary>
        public string CaBundleUrl { get; set; } = string.Empty;

        /// <summary>The CAs the cluster's instances use now; empty when unknown.</summary>
        public IReadOnlyList<string> InstanceCas { get; set; } = new string[0];

        /// <summary>require_secure_transport; null when unknown (an endpoint given by hand).</summary>
        public bool? RequireSecureTransport { get; set; }

        /// <summary>The TLS protocols the cluster accepts; empty when unknown.</summary>
        public IReadOnlyList<string> ServerTlsVersions { get; set; } = new string[0];

        /// <summary>The ciphers the cluster accepts (OpenSSL names); empty when the engine default applies or unknown.</summary>
        public IReadOnlyList<string> ServerCiphers { get; set; } = new string[0];

        /// <summary>What the client must know: SAN, CA bundle, the cluster's posture, IAM, the client's own pitfalls.</summary>
        public IReadOnlyList<string> Notes { get; set; } = new string[0];

        public override string ToString() => Client + ": " + Connection;
    }
}
