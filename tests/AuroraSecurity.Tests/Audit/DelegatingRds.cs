using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>Passes every call to another client; tests override the calls they want to change.</summary>
    internal class DelegatingRds : IRdsApi
    {
        public DelegatingRds(IRdsApi inner) => Inner = inner;

        protected IRdsApi Inner { get; }

        public virtual Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => Inner.DescribeDBClustersAsync(id, filters, ct);
        public virtual Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => Inner.DescribeDBInstancesAsync(id, filters, ct);
        public virtual Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? name = null, CancellationToken ct = default) => Inner.DescribeDBClusterParameterGroupsAsync(name, ct);
        public virtual Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string name, string? source = null, CancellationToken ct = default) => Inner.DescribeDBClusterParametersAsync(name, source, ct);
        public virtual Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string family, CancellationToken ct = default) => Inner.DescribeEngineDefaultClusterParametersAsync(family, ct);
        public virtual Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? id = null, CancellationToken ct = default) => Inner.DescribeCertificatesAsync(id, ct);
        public virtual Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? name = null, CancellationToken ct = default) => Inner.DescribeDBProxiesAsync(name, ct);
        public virtual Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string name, CancellationToken ct = default) => Inner.DescribeDBProxyTargetsAsync(name, ct);
        public virtual Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? id = null, string? type = null, CancellationToken ct = default) => Inner.DescribeDBClusterSnapshotsAsync(id, type, ct);
        public virtual Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string id, CancellationToken ct = default) => Inner.DescribeDBClusterSnapshotAttributesAsync(id, ct);
        public virtual Task<string> ModifyDBClusterParameterGroupAsync(string name, IReadOnlyList<RdsParameter> parameters, CancellationToken ct = default) => Inner.ModifyDBClusterParameterGroupAsync(name, parameters, ct);
        public virtual Task<string> ResetDBClusterParameterGroupAsync(string name, bool all, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken ct = default) => Inner.ResetDBClusterParameterGroupAsync(name, all, parameters, ct);
        public virtual Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string name, string family, string description, CancellationToken ct = default) => Inner.CreateDBClusterParameterGroupAsync(name, family, description, ct);
        public virtual Task<RdsDbCluster> ModifyDBClusterAsync(string id, string? group = null, bool? iam = null, bool now = false, CancellationToken ct = default) => Inner.ModifyDBClusterAsync(id, group, iam, now, ct);
        public virtual Task<RdsDbInstance> RebootDBInstanceAsync(string id, CancellationToken ct = default) => Inner.RebootDBInstanceAsync(id, ct);
    }
}
