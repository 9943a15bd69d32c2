using System;
using AuroraSecurity.Clusters;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;

namespace AuroraSecurity.Audit
{
    /// <summary>What an audit reads besides the RDS API, and how much may run at once.</summary>
    public sealed class AuditOptions
    {
        /// <summary>RDS requests, SQL connections and probe handshakes in flight at once, all together.</summary>
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

        /// <summary>How to log in to each cluster for SQL evidence; null when the audit does not log in.</summary>
        public Func<AuroraCluster, SqlAccess>? Sql { get; set; }

        /// <summary>
        /// Reads a cluster's master login from its RDS-managed secret (MasterUserSecret) for the clusters whose <see cref="SqlAccess"/> asks for it;
        /// each read runs under the audit's throttle, just before that cluster's SQL connection.
        /// </summary>
        public ISecretsManagerApi? ManagedMasterSecrets { get; set; }

        /// <summary>Whether to probe the cluster and instance endpoints with TLS handshakes.</summary>
        public bool ProbeEndpoints { get; set; }

        /// <summary>Time allowed for each probe handshake.</summary>
        public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Whether every Aurora MySQL cluster of the region is audited: the instances are then read with one paged DescribeDBInstances
        /// for the region; otherwise with reads filtered by the audited clusters.
        /// </summary>
        public bool WholeRegion { get; set; }

        /// <summary>A copy of these options with <see cref="WholeRegion"/> set.</summary>
        public AuditOptions WithWholeRegion(bool wholeRegion) => new AuditOptions
        {
            ThrottleLimit = ThrottleLimit,
            Sql = Sql,
            ManagedMasterSecrets = ManagedMasterSecrets,
            ProbeEndpoints = ProbeEndpoints,
            ProbeTimeout = ProbeTimeout,
            WholeRegion = wholeRegion,
        };
    }

    /// <summary>For one cluster: the connection options to read SQL evidence with, or why there are none.</summary>
    public sealed class SqlAccess
    {
        private SqlAccess(SqlConnectionOptions? options, string? notRequested, AuroraSecurityException? error, bool usesManagedMasterSecret = false)
        {
            Options = options;
            NotRequested = notRequested;
            Error = error;
            UsesManagedMasterSecret = usesManagedMasterSecret;
        }

        /// <summary>Options for the cluster's writer endpoint, TLS as the caller asked (VerifyFull by default).</summary>
        public SqlConnectionOptions? Options { get; }

        /// <summary>Why no SQL evidence is wanted for this cluster (the SQL checks are NotApplicable with this reason).</summary>
        public string? NotRequested { get; }

        /// <summary>Why no login could be made (the SQL checks are Error findings with this reason).</summary>
        public AuroraSecurityException? Error { get; }

        /// <summary>Whether the user and password come from the cluster's RDS-managed master secret (read by the audit just before it connects).</summary>
        public bool UsesManagedMasterSecret { get; }

        /// <summary>Log in with these options.</summary>
        public static SqlAccess With(SqlConnectionOptions options) => new SqlAccess(options ?? throw new ArgumentNullException(nameof(options)), null, null);

        /// <summary>Log in with these options (endpoint and TLS) as the master user whose login the cluster's RDS-managed secret holds.</summary>
        public static SqlAccess WithManagedMasterSecret(SqlConnectionOptions options) =>
            new SqlAccess(options ?? throw new ArgumentNullException(nameof(options)), null, null, usesManagedMasterSecret: true);

        /// <summary>No SQL evidence for this cluster, and why.</summary>
        public static SqlAccess Skip(string reason) => new SqlAccess(null, reason, null);

        /// <summary>No login possible, and why.</summary>
        public static SqlAccess Failed(AuroraSecurityException error) => new SqlAccess(null, null, error ?? throw new ArgumentNullException(nameof(error)));

        /// <summary>No login possible: RDS reported no writer endpoint for the cluster.</summary>
        public static SqlAccess NoEndpoint(AuroraCluster cluster) =>
            Failed(new AuroraSecurityException("ClusterEndpointMissing", FailureKind.NotFound,
                $"RDS reported no writer endpoint for cluster '{cluster.ClusterIdentifier}' (status {cluster.Status ?? "unknown"}), so the audit could not log in."));
    }

    /// <summary>What an audit is doing for a cluster.</summary>
    public enum AuditPhase
    {
        /// <summary>Reading the cluster's parameter group and instances from RDS.</summary>
        RdsReads,

        /// <summary>Reading accounts, privileges, sessions and variables over SQL.</summary>
        Sql,

        /// <summary>Probing the endpoints with TLS handshakes.</summary>
        Probe,

        /// <summary>The cluster's findings are ready.</summary>
        Done,
    }

    /// <summary>One step of an audit for one cluster; at <see cref="AuditPhase.Done"/> it carries the cluster's findings or why it could not be audited.</summary>
    public sealed class AuditProgress
    {
        public AuditProgress(string clusterIdentifier, AuditPhase phase, ClusterOutcome<System.Collections.Generic.IReadOnlyList<Finding>>? outcome = null)
        {
            ClusterIdentifier = clusterIdentifier;
            Phase = phase;
            Outcome = outcome;
        }

        public string ClusterIdentifier { get; }

        public AuditPhase Phase { get; }

        /// <summary>Set when <see cref="Phase"/> is Done.</summary>
        public ClusterOutcome<System.Collections.Generic.IReadOnlyList<Finding>>? Outcome { get; }
    }
}
