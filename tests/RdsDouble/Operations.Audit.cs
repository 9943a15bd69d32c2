namespace RdsDouble;

/// <summary>The snapshot and proxy-target reads of the security audit.</summary>
internal sealed partial class Operations
{
    private string DescribeDBClusterSnapshots(QueryParams p, string requestId)
    {
        IEnumerable<ClusterSnapshotState> snapshots = _state.ClusterSnapshots;
        string? cluster = p.Get("DBClusterIdentifier");
        if (!string.IsNullOrEmpty(cluster))
        {
            ClusterState c = _state.FindCluster(cluster) ?? throw RdsErrorException.ClusterNotFound(cluster);
            snapshots = snapshots.Where(s => Same(s.ClusterIdentifier, c.Identifier));
        }
        string? id = p.Get("DBClusterSnapshotIdentifier");
        if (!string.IsNullOrEmpty(id))
        {
            ClusterSnapshotState one = FindSnapshot(id);
            snapshots = snapshots.Where(s => s == one);
        }
        string? type = p.Get("SnapshotType");
        if (!string.IsNullOrEmpty(type))
        {
            if (type is not ("automated" or "manual" or "shared" or "public" or "awsbackup"))
            {
                throw RdsErrorException.InvalidParameterValue($"Invalid value {type} for SnapshotType. Valid values: automated, manual, shared, public, awsbackup.");
            }
            snapshots = snapshots.Where(s => s.SnapshotType == type);
        }
        foreach ((string name, List<string> values) in p.Filters())
        {
            snapshots = name switch
            {
                "db-cluster-id" => snapshots.Where(s => values.Any(v => Same(v, s.ClusterIdentifier) || Same(v, _state.ClusterArn(s.ClusterIdentifier)))).ToList(),
                "db-cluster-snapshot-id" => snapshots.Where(s => values.Any(v => Same(v, s.Identifier))).ToList(),
                "snapshot-type" => snapshots.Where(s => values.Contains(s.SnapshotType, StringComparer.Ordinal)).ToList(),
                "engine" => snapshots.Where(s => values.Contains(_state.FindCluster(s.ClusterIdentifier)?.Engine ?? "", StringComparer.Ordinal)).ToList(),
                _ => throw RdsErrorException.InvalidParameterValue($"Unrecognized filter name: {name}"),
            };
        }
        var (page, marker) = Paged(snapshots.OrderBy(s => s.Identifier, StringComparer.Ordinal).ToList(), p, "cluster-snapshots");
        return XmlOut.Success("DescribeDBClusterSnapshots", requestId, x =>
        {
            x.Str("Marker", marker);
            x.List("DBClusterSnapshots", "DBClusterSnapshot", page, s =>
            {
                ClusterState? c = _state.FindCluster(s.ClusterIdentifier);
                x.StringList("AvailabilityZones", "AvailabilityZone", new[] { _state.Region + "a", _state.Region + "b" });
                x.Str("DBClusterSnapshotIdentifier", s.Identifier);
                x.Str("DBClusterIdentifier", s.ClusterIdentifier);
                x.Time("SnapshotCreateTime", s.CreateTime);
                x.Str("Engine", c?.Engine ?? "aurora-mysql");
                x.Str("EngineMode", "provisioned");
                x.Int("AllocatedStorage", 1);
                x.Str("Status", s.Status);
                x.Int("Port", 0);
                x.Str("VpcId", "vpc-0a1b2c3d4e5f60718");
                x.Time("ClusterCreateTime", c?.CreateTime);
                x.Str("MasterUsername", c?.MasterUsername ?? "admin");
                x.Str("EngineVersion", c?.EngineVersion);
                x.Str("LicenseModel", "aurora-mysql");
                x.Str("SnapshotType", s.SnapshotType);
                x.Int("PercentProgress", 100);
                x.Bool("StorageEncrypted", s.StorageEncrypted);
                if (s.StorageEncrypted) x.Str("KmsKeyId", KmsKey);
                x.Str("DBClusterSnapshotArn", _state.ClusterSnapshotArn(s.Identifier));
                x.Bool("IAMDatabaseAuthenticationEnabled", c?.IamDatabaseAuthenticationEnabled ?? false);
                x.List("TagList", "Tag", Array.Empty<string>(), _ => { });
            });
        });
    }

    private string DescribeDBClusterSnapshotAttributes(QueryParams p, string requestId)
    {
        ClusterSnapshotState s = FindSnapshot(p.Required("DBClusterSnapshotIdentifier"));
        if (s.SnapshotType != "manual")
        {
            throw RdsErrorException.InvalidParameterValue($"The snapshot {s.Identifier} is not a manual snapshot; only manual snapshots have attributes.");
        }
        return XmlOut.Success("DescribeDBClusterSnapshotAttributes", requestId, x => x.Element("DBClusterSnapshotAttributesResult", () =>
        {
            x.Str("DBClusterSnapshotIdentifier", s.Identifier);
            x.List("DBClusterSnapshotAttributes", "DBClusterSnapshotAttribute", new[] { s }, a =>
            {
                x.Str("AttributeName", "restore");
                x.StringList("AttributeValues", "AttributeValue", a.RestoreAccounts);
            });
        }));
    }

    private string DescribeDBProxyTargets(QueryParams p, string requestId)
    {
        string name = p.Required("DBProxyName");
        ProxyState proxy = _state.Proxies.FirstOrDefault(x => Same(x.Name, name))
            ?? throw new RdsErrorException(404, "DBProxyNotFoundFault", $"DBProxy {name} not found.");
        string? group = p.Get("TargetGroupName");
        if (!string.IsNullOrEmpty(group) && group != "default")
        {
            throw new RdsErrorException(404, "DBProxyTargetGroupNotFoundFault", $"DBProxyTargetGroup {group} not found for DBProxy {proxy.Name}.");
        }
        if (p.Filters().Count > 0) throw RdsErrorException.InvalidParameterValue("Filters are not supported for this operation.");
        // Each tracked cluster appears once as TRACKED_CLUSTER and once per instance as RDS_INSTANCE, as RDS reports them.
        var targets = new List<(string Type, ClusterState Cluster, InstanceState? Instance)>();
        foreach (string id in proxy.TargetClusters)
        {
            ClusterState? c = _state.FindCluster(id);
            if (c is null) continue;
            targets.Add(("TRACKED_CLUSTER", c, null));
            targets.AddRange(_state.MembersOf(c).OrderBy(i => i.Identifier, StringComparer.Ordinal).Select(i => ("RDS_INSTANCE", c, (InstanceState?)i)));
        }
        var (page, marker) = Paged(targets, p, "proxy-targets:" + proxy.Name);
        return XmlOut.Success("DescribeDBProxyTargets", requestId, x =>
        {
            // TargetList has no location name in the model: items are <member>.
            x.List("Targets", "member", page, t =>
            {
                x.Str("TargetArn", t.Instance is null ? _state.ClusterArn(t.Cluster.Identifier) : _state.InstanceArn(t.Instance.Identifier));
                x.Str("Endpoint", t.Instance is null ? _state.ClusterEndpoint(t.Cluster.Identifier) : _state.InstanceEndpoint(t.Instance.Identifier));
                x.Str("TrackedClusterId", t.Cluster.Identifier);
                x.Str("RdsResourceId", t.Instance is null ? ClusterResourceId(t.Cluster) : t.Instance.Identifier);
                x.Int("Port", t.Cluster.Port);
                x.Str("Type", t.Type);
                if (t.Instance is not null) x.Str("Role", t.Instance.IsClusterWriter ? "READ_WRITE" : "READ_ONLY");
                x.Element("TargetHealth", () => x.Str("State", "AVAILABLE"));
            });
            x.Str("Marker", marker);
        });
    }

    private ClusterSnapshotState FindSnapshot(string idOrArn)
    {
        int at = idOrArn.IndexOf(":cluster-snapshot:", StringComparison.Ordinal);
        string id = idOrArn.StartsWith("arn:", StringComparison.Ordinal) && at >= 0 ? idOrArn[(at + ":cluster-snapshot:".Length)..] : idOrArn;
        return _state.ClusterSnapshots.FirstOrDefault(s => Same(s.Identifier, id))
            ?? throw new RdsErrorException(404, "DBClusterSnapshotNotFoundFault", $"DBClusterSnapshot {id} not found.");
    }
}
