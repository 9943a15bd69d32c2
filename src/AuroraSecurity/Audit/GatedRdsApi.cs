using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Audit
{
    /// <summary>
    /// Passes RDS calls through a gate an audit shares with its SQL connections and probe handshakes, so one throttle bounds all
    /// three; a call whose turn comes after cancellation is never sent.
    /// </summary>
    internal sealed class GatedRdsApi : IRdsApi
    {
        private readonly IRdsApi _inner;
        private readonly SemaphoreSlim _gate;

        public GatedRdsApi(IRdsApi inner, SemaphoreSlim gate)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        }

        public Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? dbClusterIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBClustersAsync(dbClusterIdentifier, filters, ct), cancellationToken);

        public Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? dbInstanceIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBInstancesAsync(dbInstanceIdentifier, filters, ct), cancellationToken);

        public Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? dbClusterParameterGroupName = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBClusterParameterGroupsAsync(dbClusterParameterGroupName, ct), cancellationToken);

        public Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string dbClusterParameterGroupName, string? source = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBClusterParametersAsync(dbClusterParameterGroupName, source, ct), cancellationToken);

        public Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string dbParameterGroupFamily, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeEngineDefaultClusterParametersAsync(dbParameterGroupFamily, ct), cancellationToken);

        public Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? certificateIdentifier = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeCertificatesAsync(certificateIdentifier, ct), cancellationToken);

        public Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? dbProxyName = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBProxiesAsync(dbProxyName, ct), cancellationToken);

        public Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string dbProxyName, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBProxyTargetsAsync(dbProxyName, ct), cancellationToken);

        public Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? dbClusterIdentifier = null, string? snapshotType = null, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBClusterSnapshotsAsync(dbClusterIdentifier, snapshotType, ct), cancellationToken);

        public Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string dbClusterSnapshotIdentifier, CancellationToken cancellationToken = default) =>
            Gated(ct => _inner.DescribeDBClusterSnapshotAttributesAsync(dbClusterSnapshotIdentifier, ct), cancellationToken);

        // An audit only reads: the changing operations are refused rather than gated.
        public Task<string> ModifyDBClusterParameterGroupAsync(string dbClusterParameterGroupName, IReadOnlyList<RdsParameter> parameters, CancellationToken cancellationToken = default) => throw ReadOnly();

        public Task<string> ResetDBClusterParameterGroupAsync(string dbClusterParameterGroupName, bool resetAllParameters, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken cancellationToken = default) => throw ReadOnly();

        public Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string dbClusterParameterGroupName, string dbParameterGroupFamily, string description, CancellationToken cancellationToken = default) => throw ReadOnly();

        public Task<RdsDbCluster> ModifyDBClusterAsync(string dbClusterIdentifier, string? dbClusterParameterGroupName = null, bool? enableIAMDatabaseAuthentication = null, bool applyImmediately = false, CancellationToken cancellationToken = default) => throw ReadOnly();

        public Task<RdsDbInstance> RebootDBInstanceAsync(string dbInstanceIdentifier, CancellationToken cancellationToken = default) => throw ReadOnly();

        /// <summary>Runs <paramref name="work"/> holding one slot of the gate; the token is checked once the slot is held.</summary>
        public static async Task<T> RunGated<T>(SemaphoreSlim gate, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await work(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        private Task<T> Gated<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => RunGated(_gate, work, cancellationToken);

        private static InvalidOperationException ReadOnly() => new InvalidOperationException("The security audit only reads from RDS.");
    }
}
