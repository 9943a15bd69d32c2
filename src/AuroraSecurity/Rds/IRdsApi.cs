using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>The RDS API operations this module uses; Describe methods return complete lists across pages.</summary>
    public interface IRdsApi
    {
        Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? dbClusterIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default);

        Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? dbInstanceIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default);

        Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? dbClusterParameterGroupName = null, CancellationToken cancellationToken = default);

        /// <summary>Parameters of a cluster parameter group; <paramref name="source"/> is engine-default, system or user.</summary>
        Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string dbClusterParameterGroupName, string? source = null, CancellationToken cancellationToken = default);

        Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string dbParameterGroupFamily, CancellationToken cancellationToken = default);

        Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? certificateIdentifier = null, CancellationToken cancellationToken = default);

        Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? dbProxyName = null, CancellationToken cancellationToken = default);

        /// <summary>The targets (tracked clusters and their instances) of one proxy's default target group.</summary>
        Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string dbProxyName, CancellationToken cancellationToken = default);

        /// <summary>Cluster snapshots of the region (or of one cluster); <paramref name="snapshotType"/> is manual, automated, shared or public.</summary>
        Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? dbClusterIdentifier = null, string? snapshotType = null, CancellationToken cancellationToken = default);

        /// <summary>The attributes of a manual cluster snapshot ("restore": the accounts that may restore it, "all" for everyone).</summary>
        Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string dbClusterSnapshotIdentifier, CancellationToken cancellationToken = default);

        /// <summary>Changes at most 20 parameters (name, value, apply method); returns the group name.</summary>
        Task<string> ModifyDBClusterParameterGroupAsync(string dbClusterParameterGroupName, IReadOnlyList<RdsParameter> parameters, CancellationToken cancellationToken = default);

        /// <summary>Resets either all parameters or the named ones to their defaults; returns the group name.</summary>
        Task<string> ResetDBClusterParameterGroupAsync(string dbClusterParameterGroupName, bool resetAllParameters, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken cancellationToken = default);

        Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string dbClusterParameterGroupName, string dbParameterGroupFamily, string description, CancellationToken cancellationToken = default);

        /// <summary>Changes the cluster's parameter group and/or IAM database authentication; unspecified settings stay as they are.</summary>
        Task<RdsDbCluster> ModifyDBClusterAsync(string dbClusterIdentifier, string? dbClusterParameterGroupName = null, bool? enableIAMDatabaseAuthentication = null, bool applyImmediately = false, CancellationToken cancellationToken = default);

        Task<RdsDbInstance> RebootDBInstanceAsync(string dbInstanceIdentifier, CancellationToken cancellationToken = default);
    }
}
