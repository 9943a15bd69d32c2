using System.Globalization;
using System.Text;

namespace RdsDouble;

/// <summary>The RDS operations the double implements. Every call runs under the state lock.</summary>
internal sealed partial class Operations
{
    private const int MaxParametersPerModify = 20;
    private readonly RdsState _state;
    private readonly AnswerSettings _answers;

    public Operations(RdsState state, AnswerSettings answers)
    {
        _state = state;
        _answers = answers;
    }

    private bool Terse => _answers.OmitOptionalFields;

    /// <summary>The actions that change state (their answers can be dropped after applying).</summary>
    public static readonly IReadOnlySet<string> Changing = new HashSet<string>(StringComparer.Ordinal)
    {
        "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "CreateDBClusterParameterGroup", "ModifyDBCluster", "RebootDBInstance",
    };

    /// <summary>Makes parameter changes whose delay has passed visible (and marks members pending-reboot for those that need it).</summary>
    internal void Settle(DateTimeOffset now)
    {
        foreach (ClusterParameterGroupState group in _state.ClusterParameterGroups)
        {
            if (group.DelayedChanges.Count == 0) continue;
            List<DelayedParameterChange> due = group.DelayedChanges.Where(c => c.VisibleAt <= now).ToList();
            if (due.Count == 0) continue;
            foreach (DelayedParameterChange change in due)
            {
                group.Parameters[change.Name] = change.Setting;
                group.DelayedChanges.Remove(change);
            }
            if (due.Any(c => c.NeedsReboot)) MarkPendingReboot(group);
        }
    }

    public RdsState State => _state;

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "DescribeDBClusters", "DescribeDBInstances", "DescribeDBClusterParameterGroups", "DescribeDBClusterParameters",
        "DescribeEngineDefaultClusterParameters", "DescribeCertificates", "DescribeDBProxies",
        "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "CreateDBClusterParameterGroup",
        "ModifyDBCluster", "RebootDBInstance",
        "DescribeDBClusterSnapshots", "DescribeDBClusterSnapshotAttributes", "DescribeDBProxyTargets",
    };

    public string Handle(string action, QueryParams p, string requestId)
    {
        lock (_state.SyncRoot)
        {
            Settle(DateTimeOffset.UtcNow);
            return action switch
            {
                "DescribeDBClusters" => DescribeDBClusters(p, requestId),
                "DescribeDBInstances" => DescribeDBInstances(p, requestId),
                "DescribeDBClusterParameterGroups" => DescribeDBClusterParameterGroups(p, requestId),
                "DescribeDBClusterParameters" => DescribeDBClusterParameters(p, requestId),
                "DescribeEngineDefaultClusterParameters" => DescribeEngineDefaultClusterParameters(p, requestId),
                "DescribeCertificates" => DescribeCertificates(p, requestId),
                "DescribeDBProxies" => DescribeDBProxies(p, requestId),
                "ModifyDBClusterParameterGroup" => ModifyDBClusterParameterGroup(p, requestId),
                "ResetDBClusterParameterGroup" => ResetDBClusterParameterGroup(p, requestId),
                "CreateDBClusterParameterGroup" => CreateDBClusterParameterGroup(p, requestId),
                "ModifyDBCluster" => ModifyDBCluster(p, requestId),
                "RebootDBInstance" => RebootDBInstance(p, requestId),
                "DescribeDBClusterSnapshots" => DescribeDBClusterSnapshots(p, requestId),
                "DescribeDBClusterSnapshotAttributes" => DescribeDBClusterSnapshotAttributes(p, requestId),
                "DescribeDBProxyTargets" => DescribeDBProxyTargets(p, requestId),
                _ => throw new RdsErrorException(400, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
        }
    }

    // ---- paging -------------------------------------------------------------------------------

    private static (List<T> Page, string? Marker) Paged<T>(IReadOnlyList<T> all, QueryParams p, string scope)
    {
        int max = p.MaxRecords();
        int start = 0;
        string? marker = p.Get("Marker");
        if (!string.IsNullOrEmpty(marker))
        {
            string? decoded = null;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            }
            catch (FormatException)
            {
            }
            string head = scope + ":";
            if (decoded is null || !decoded.StartsWith(head, StringComparison.Ordinal)
                || !int.TryParse(decoded.AsSpan(head.Length), NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count)
            {
                throw RdsErrorException.InvalidParameterValue($"Invalid marker: {marker}");
            }
        }
        List<T> page = all.Skip(start).Take(max).ToList();
        int next = start + page.Count;
        string? nextMarker = next < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{scope}:{next}")) : null;
        return (page, nextMarker);
    }

    // ---- clusters and instances ---------------------------------------------------------------

    private string DescribeDBClusters(QueryParams p, string requestId)
    {
        IEnumerable<ClusterState> clusters = _state.Clusters;
        string? id = p.Get("DBClusterIdentifier");
        if (!string.IsNullOrEmpty(id))
        {
            ClusterState c = _state.FindCluster(id) ?? throw RdsErrorException.ClusterNotFound(id);
            clusters = new[] { c };
        }
        foreach ((string name, List<string> values) in p.Filters())
        {
            clusters = name switch
            {
                "db-cluster-id" => clusters.Where(c => values.Any(v => Same(v, c.Identifier) || Same(v, _state.ClusterArn(c.Identifier)))).ToList(),
                "db-cluster-resource-id" => clusters.Where(c => values.Any(v => Same(v, ClusterResourceId(c)))).ToList(),
                "engine" => clusters.Where(c => values.Contains(c.Engine, StringComparer.Ordinal)).ToList(),
                "engine-version" => clusters.Where(c => values.Contains(c.EngineVersion, StringComparer.Ordinal)).ToList(),
                _ => throw RdsErrorException.InvalidParameterValue($"Unrecognized filter name: {name}"),
            };
        }
        var (page, marker) = Paged(clusters.OrderBy(c => c.Identifier, StringComparer.Ordinal).ToList(), p, "clusters");
        foreach (ClusterState c in page)
        {
            // A held ModifyDBCluster setting shows in PendingModifiedValues for as many describes as configured, then applies.
            if (c.PendingIamDatabaseAuthenticationEnabled is null) continue;
            if (c.PendingDescribesLeft <= 0) ApplyPending(c);
            else c.PendingDescribesLeft--;
        }
        return XmlOut.Success("DescribeDBClusters", requestId, x =>
        {
            x.Str("Marker", marker);
            x.List("DBClusters", "DBCluster", page, c => WriteCluster(x, c));
        });
    }

    private string DescribeDBInstances(QueryParams p, string requestId)
    {
        IEnumerable<InstanceState> instances = _state.Instances;
        string? id = p.Get("DBInstanceIdentifier");
        if (!string.IsNullOrEmpty(id))
        {
            InstanceState i = _state.FindInstance(id) ?? throw RdsErrorException.InstanceNotFound(id);
            instances = new[] { i };
        }
        foreach ((string name, List<string> values) in p.Filters())
        {
            instances = name switch
            {
                "db-cluster-id" => instances.Where(i => values.Any(v => Same(v, i.ClusterIdentifier) || Same(v, _state.ClusterArn(i.ClusterIdentifier)))).ToList(),
                "db-instance-id" => instances.Where(i => values.Any(v => Same(v, i.Identifier) || Same(v, _state.InstanceArn(i.Identifier)))).ToList(),
                "engine" => instances.Where(i => values.Contains(ClusterOf(i)?.Engine ?? "", StringComparer.Ordinal)).ToList(),
                _ => throw RdsErrorException.InvalidParameterValue($"Unrecognized filter name: {name}"),
            };
        }
        var (page, marker) = Paged(instances.OrderBy(i => i.Identifier, StringComparer.Ordinal).ToList(), p, "instances");
        return XmlOut.Success("DescribeDBInstances", requestId, x =>
        {
            x.Str("Marker", marker);
            x.List("DBInstances", "DBInstance", page, i => WriteInstance(x, i, null));
        });
    }

    private string ModifyDBCluster(QueryParams p, string requestId)
    {
        string id = p.Required("DBClusterIdentifier");
        ClusterState cluster = _state.FindCluster(id) ?? throw RdsErrorException.ClusterNotFound(id);
        _ = p.GetBool("ApplyImmediately");
        bool? iam = p.GetBool("EnableIAMDatabaseAuthentication");
        string? groupName = p.Get("DBClusterParameterGroupName");
        ClusterParameterGroupState? group = null;
        if (!string.IsNullOrEmpty(groupName))
        {
            // ModifyDBCluster names the cluster-specific fault (the model lists it beside DBParameterGroupNotFound).
            group = _state.FindClusterParameterGroup(groupName)
                    ?? throw new RdsErrorException(404, "DBClusterParameterGroupNotFound", $"DBClusterParameterGroup not found: {groupName}");
            string family = ParameterCatalog.FamilyOf(cluster.Engine, cluster.EngineVersion);
            if (group.Family != family)
            {
                throw RdsErrorException.InvalidParameterCombination(
                    $"The parameter group {group.Name} with DBParameterGroupFamily {group.Family} can't be used for this instance. Use a parameter group with DBParameterGroupFamily {family}.");
            }
        }
        if (iam == true && cluster.Engine is not ("aurora-mysql" or "aurora-postgresql" or "neptune" or "aurora"))
        {
            throw RdsErrorException.InvalidParameterCombination($"IAM database authentication isn't supported for engine {cluster.Engine}.");
        }

        if (group is not null && !string.Equals(group.Name, cluster.ClusterParameterGroup, StringComparison.Ordinal))
        {
            cluster.ClusterParameterGroup = group.Name;
            foreach (InstanceState m in _state.MembersOf(cluster)) m.ClusterParameterGroupStatus = "pending-reboot";
        }
        if (iam is bool enable)
        {
            if (_answers.ClusterModificationDescribes > 0 && enable != cluster.IamDatabaseAuthenticationEnabled)
            {
                cluster.PendingIamDatabaseAuthenticationEnabled = enable;
                cluster.PendingDescribesLeft = _answers.ClusterModificationDescribes;
            }
            else
            {
                cluster.IamDatabaseAuthenticationEnabled = enable;
                cluster.PendingIamDatabaseAuthenticationEnabled = null;
            }
        }
        return XmlOut.Success("ModifyDBCluster", requestId, x => x.Element("DBCluster", () => WriteCluster(x, cluster)));
    }

    private static void ApplyPending(ClusterState cluster)
    {
        if (cluster.PendingIamDatabaseAuthenticationEnabled is bool pending) cluster.IamDatabaseAuthenticationEnabled = pending;
        cluster.PendingIamDatabaseAuthenticationEnabled = null;
        cluster.PendingDescribesLeft = 0;
    }

    private string RebootDBInstance(QueryParams p, string requestId)
    {
        string id = p.Required("DBInstanceIdentifier");
        InstanceState instance = _state.FindInstance(id) ?? throw RdsErrorException.InstanceNotFound(id);
        if (p.GetBool("ForceFailover") == true)
        {
            throw RdsErrorException.InvalidParameterCombination("ForceFailover isn't supported for instances of an Aurora DB cluster.");
        }
        if (instance.Status != "available")
        {
            throw new RdsErrorException(400, "InvalidDBInstanceState", $"Database instance is not in available state.");
        }
        instance.ClusterParameterGroupStatus = "in-sync";
        instance.DbParameterGroupApplyStatus = "in-sync";
        if (ClusterOf(instance) is ClusterState owner) ApplyPending(owner);
        // The answer shows the instance rebooting; by the next describe the double has finished.
        return XmlOut.Success("RebootDBInstance", requestId, x => x.Element("DBInstance", () => WriteInstance(x, instance, "rebooting")));
    }

    // ---- parameter groups ---------------------------------------------------------------------

    private string DescribeDBClusterParameterGroups(QueryParams p, string requestId)
    {
        IEnumerable<ClusterParameterGroupState> groups = _state.ClusterParameterGroups;
        string? name = p.Get("DBClusterParameterGroupName");
        if (!string.IsNullOrEmpty(name))
        {
            groups = new[] { _state.FindClusterParameterGroup(name) ?? throw RdsErrorException.ParameterGroupNotFound(name) };
        }
        if (p.Filters().Count > 0) throw RdsErrorException.InvalidParameterValue("Filters are not supported for this operation.");
        var (page, marker) = Paged(groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList(), p, "cpg");
        return XmlOut.Success("DescribeDBClusterParameterGroups", requestId, x =>
        {
            x.Str("Marker", marker);
            x.List("DBClusterParameterGroups", "DBClusterParameterGroup", page, g => WriteGroup(x, g));
        });
    }

    private string DescribeDBClusterParameters(QueryParams p, string requestId)
    {
        string name = p.Required("DBClusterParameterGroupName");
        ClusterParameterGroupState group = _state.FindClusterParameterGroup(name) ?? throw RdsErrorException.ParameterGroupNotFound(name);
        string? source = p.Get("Source");
        if (source is not (null or "engine-default" or "system" or "user"))
        {
            throw RdsErrorException.InvalidParameterValue($"Invalid value {source} for Source. Valid values are engine-default, system, user.");
        }
        IEnumerable<(ParameterDefinition Def, ParameterSetting? Set)> rows =
            (ParameterCatalog.For(group.Family) ?? Array.Empty<ParameterDefinition>())
            .Select(d => (d, group.Parameters.TryGetValue(d.Name, out ParameterSetting? s) ? s : null));
        if (source is not null) rows = rows.Where(r => SourceOf(r.Def, r.Set) == source);
        rows = ApplyParameterFilters(rows, p);
        var (page, marker) = Paged(rows.ToList(), p, "params:" + group.Name);
        return XmlOut.Success("DescribeDBClusterParameters", requestId, x =>
        {
            x.List("Parameters", "Parameter", page, r => WriteParameter(x, r.Def, r.Set));
            x.Str("Marker", marker);
        });
    }

    private string DescribeEngineDefaultClusterParameters(QueryParams p, string requestId)
    {
        string family = p.Required("DBParameterGroupFamily");
        IReadOnlyList<ParameterDefinition> defs = ParameterCatalog.For(family)
            ?? throw RdsErrorException.InvalidParameterValue($"Invalid parameter group family: {family}");
        IEnumerable<(ParameterDefinition Def, ParameterSetting? Set)> rows = defs.Select(d => (d, (ParameterSetting?)null));
        rows = ApplyParameterFilters(rows, p);
        var (page, marker) = Paged(rows.ToList(), p, "defaults:" + family);
        return XmlOut.Success("DescribeEngineDefaultClusterParameters", requestId, x => x.Element("EngineDefaults", () =>
        {
            x.Str("DBParameterGroupFamily", family);
            x.Str("Marker", marker);
            x.List("Parameters", "Parameter", page, r => WriteParameter(x, r.Def, r.Set));
        }));
    }

    private static IEnumerable<(ParameterDefinition Def, ParameterSetting? Set)> ApplyParameterFilters(
        IEnumerable<(ParameterDefinition Def, ParameterSetting? Set)> rows, QueryParams p)
    {
        foreach ((string name, List<string> values) in p.Filters())
        {
            rows = name switch
            {
                "parameter-name" => rows.Where(r => values.Contains(r.Def.Name, StringComparer.Ordinal)).ToList(),
                "apply-type" => rows.Where(r => values.Contains(r.Def.ApplyType, StringComparer.Ordinal)).ToList(),
                "is-modifiable" => rows.Where(r => values.Contains(r.Def.IsModifiable ? "true" : "false", StringComparer.OrdinalIgnoreCase)).ToList(),
                _ => throw RdsErrorException.InvalidParameterValue($"Unrecognized filter name: {name}"),
            };
        }
        return rows;
    }

    private string CreateDBClusterParameterGroup(QueryParams p, string requestId)
    {
        string name = p.Required("DBClusterParameterGroupName");
        string family = p.Required("DBParameterGroupFamily");
        string description = p.Required("Description");
        if (!IsValidGroupName(name))
        {
            throw RdsErrorException.InvalidParameterValue(
                "The parameter DBClusterParameterGroupName is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
        }
        if (name.StartsWith("default", StringComparison.OrdinalIgnoreCase))
        {
            throw RdsErrorException.InvalidParameterValue("DBClusterParameterGroupName can't start with 'default'.");
        }
        if (!ParameterCatalog.IsKnownFamily(family))
        {
            throw RdsErrorException.InvalidParameterValue($"ParameterGroupFamily {family} isn't valid.");
        }
        if (_state.FindClusterParameterGroup(name) is not null)
        {
            throw new RdsErrorException(400, "DBParameterGroupAlreadyExists", $"Parameter group {name} already exists");
        }
        var group = new ClusterParameterGroupState { Name = name.ToLowerInvariant(), Family = family, Description = description };
        _state.ClusterParameterGroups.Add(group);
        return XmlOut.Success("CreateDBClusterParameterGroup", requestId, x => x.Element("DBClusterParameterGroup", () => WriteGroup(x, group)));
    }

    private ClusterParameterGroupState WritableGroup(QueryParams p)
    {
        string name = p.Required("DBClusterParameterGroupName");
        ClusterParameterGroupState group = _state.FindClusterParameterGroup(name) ?? throw RdsErrorException.ParameterGroupNotFound(name);
        if (group.IsDefault)
        {
            throw new RdsErrorException(400, "InvalidDBParameterGroupState",
                $"Default parameter groups can't be modified. The parameter group {group.Name} is a default group.");
        }
        return group;
    }

    private string ModifyDBClusterParameterGroup(QueryParams p, string requestId)
    {
        ClusterParameterGroupState group = WritableGroup(p);
        List<Dictionary<string, string>> items = p.Structs("Parameters.Parameter");
        if (items.Count == 0) throw RdsErrorException.MissingParameter("Parameters");
        if (items.Count > MaxParametersPerModify)
        {
            throw RdsErrorException.InvalidParameterValue(
                $"{items.Count} parameters were provided, but a maximum of {MaxParametersPerModify} parameters can be modified in a single request.");
        }

        var changes = new List<(ParameterDefinition Def, string Value, string Method)>();
        foreach (Dictionary<string, string> item in items)
        {
            if (!item.TryGetValue("ParameterName", out string? pname) || pname.Length == 0)
            {
                throw RdsErrorException.InvalidParameterValue("ParameterName must be provided for each parameter.");
            }
            ParameterDefinition def = ParameterCatalog.Find(group.Family, pname)
                ?? throw RdsErrorException.InvalidParameterValue($"Could not find parameter with name: {pname}");
            if (!def.IsModifiable) throw RdsErrorException.InvalidParameterValue($"The parameter {pname} cannot be modified.");
            if (!item.TryGetValue("ParameterValue", out string? value))
            {
                throw RdsErrorException.InvalidParameterValue($"A parameter value must be provided for parameter: {pname}");
            }
            // ApplyMethod is required on modify, as RDS requires it.
            if (!item.TryGetValue("ApplyMethod", out string? method) || method.Length == 0)
            {
                throw RdsErrorException.InvalidParameterValue($"ApplyMethod must be provided for parameter: {pname}. Valid values: immediate, pending-reboot");
            }
            if (method is not ("immediate" or "pending-reboot"))
            {
                throw RdsErrorException.InvalidParameterValue($"Invalid value {method} for ApplyMethod. Valid values: immediate, pending-reboot");
            }
            if (method == "immediate" && def.IsStatic)
            {
                throw RdsErrorException.InvalidParameterCombination("cannot use immediate apply method for static parameter");
            }
            if (def.Validate(value) is string problem) throw RdsErrorException.InvalidParameterValue(problem);
            changes.Add((def, value, method));
        }

        bool needsReboot = false;
        TimeSpan delay = _answers.ParameterChangeDelay;
        foreach ((ParameterDefinition def, string value, string method) in changes)
        {
            var setting = new ParameterSetting { Value = value, ApplyMethod = method };
            bool reboot = def.IsStatic || method == "pending-reboot";
            if (delay > TimeSpan.Zero)
            {
                // Accepted now, visible (and in effect) only later.
                group.DelayedChanges.RemoveAll(c => c.Name == def.Name);
                group.DelayedChanges.Add(new DelayedParameterChange { Name = def.Name, Setting = setting, VisibleAt = DateTimeOffset.UtcNow + delay, NeedsReboot = reboot });
                continue;
            }
            group.Parameters[def.Name] = setting;
            if (reboot) needsReboot = true;
        }
        if (needsReboot) MarkPendingReboot(group);
        return XmlOut.Success("ModifyDBClusterParameterGroup", requestId, x => x.Str("DBClusterParameterGroupName", group.Name));
    }

    private string ResetDBClusterParameterGroup(QueryParams p, string requestId)
    {
        ClusterParameterGroupState group = WritableGroup(p);
        bool all = p.GetBool("ResetAllParameters") ?? false;
        List<Dictionary<string, string>> items = p.Structs("Parameters.Parameter");
        if (all && items.Count > 0)
        {
            throw RdsErrorException.InvalidParameterCombination("Specify either ResetAllParameters or a list of parameters, not both.");
        }
        if (!all && items.Count == 0)
        {
            throw RdsErrorException.InvalidParameterCombination("Specify ResetAllParameters or a list of parameters to reset.");
        }
        if (items.Count > MaxParametersPerModify)
        {
            throw RdsErrorException.InvalidParameterValue(
                $"{items.Count} parameters were provided, but a maximum of {MaxParametersPerModify} parameters can be reset in a single request.");
        }

        var names = new List<string>();
        if (all)
        {
            names.AddRange(group.Parameters.Keys);
        }
        else
        {
            foreach (Dictionary<string, string> item in items)
            {
                if (!item.TryGetValue("ParameterName", out string? pname) || pname.Length == 0)
                {
                    throw RdsErrorException.InvalidParameterValue("ParameterName must be provided for each parameter.");
                }
                ParameterDefinition def = ParameterCatalog.Find(group.Family, pname)
                    ?? throw RdsErrorException.InvalidParameterValue($"Could not find parameter with name: {pname}");
                if (item.TryGetValue("ApplyMethod", out string? method) && method == "immediate" && def.IsStatic)
                {
                    throw RdsErrorException.InvalidParameterCombination("cannot use immediate apply method for static parameter");
                }
                names.Add(def.Name);
            }
        }
        bool needsReboot = false;
        foreach (string n in names)
        {
            if (group.Parameters.Remove(n, out ParameterSetting? old))
            {
                ParameterDefinition? def = ParameterCatalog.Find(group.Family, n);
                if (def is null || def.IsStatic || old.ApplyMethod == "pending-reboot") needsReboot = true;
            }
        }
        if (needsReboot) MarkPendingReboot(group);
        return XmlOut.Success("ResetDBClusterParameterGroup", requestId, x => x.Str("DBClusterParameterGroupName", group.Name));
    }

    private void MarkPendingReboot(ClusterParameterGroupState group)
    {
        foreach (ClusterState c in _state.Clusters.Where(c => string.Equals(c.ClusterParameterGroup, group.Name, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (InstanceState m in _state.MembersOf(c)) m.ClusterParameterGroupStatus = "pending-reboot";
        }
    }

    // ---- certificates and proxies -------------------------------------------------------------

    private string DescribeCertificates(QueryParams p, string requestId)
    {
        IEnumerable<CertificateState> certs = _state.Certificates;
        string? id = p.Get("CertificateIdentifier");
        if (!string.IsNullOrEmpty(id))
        {
            certs = new[]
            {
                _state.Certificates.FirstOrDefault(c => Same(c.Identifier, id))
                ?? throw new RdsErrorException(404, "CertificateNotFound", $"Certificate {id} not found"),
            };
        }
        if (p.Filters().Count > 0) throw RdsErrorException.InvalidParameterValue("Filters are not supported for this operation.");
        var (page, marker) = Paged(certs.OrderBy(c => c.Identifier, StringComparer.Ordinal).ToList(), p, "certs");
        return XmlOut.Success("DescribeCertificates", requestId, x =>
        {
            x.Str("DefaultCertificateForNewLaunches", _state.DefaultCertificate);
            x.List("Certificates", "Certificate", page, c =>
            {
                x.Str("CertificateIdentifier", c.Identifier);
                x.Str("CertificateType", c.CertificateType);
                x.Str("Thumbprint", c.Thumbprint);
                x.Time("ValidFrom", c.ValidFrom);
                x.Time("ValidTill", c.ValidTill);
                x.Str("CertificateArn", $"arn:aws:rds:{_state.Region}::cert:{c.Identifier}");
                x.Bool("CustomerOverride", false);
            });
            x.Str("Marker", marker);
        });
    }

    private string DescribeDBProxies(QueryParams p, string requestId)
    {
        IEnumerable<ProxyState> proxies = _state.Proxies;
        string? name = p.Get("DBProxyName");
        if (!string.IsNullOrEmpty(name))
        {
            proxies = new[]
            {
                _state.Proxies.FirstOrDefault(x => Same(x.Name, name))
                ?? throw new RdsErrorException(404, "DBProxyNotFoundFault", $"DBProxy {name} not found."),
            };
        }
        if (p.Filters().Count > 0) throw RdsErrorException.InvalidParameterValue("Filters are not supported for this operation.");
        var (page, marker) = Paged(proxies.OrderBy(x => x.Name, StringComparer.Ordinal).ToList(), p, "proxies");
        return XmlOut.Success("DescribeDBProxies", requestId, x =>
        {
            // DBProxyList has no location name in the model: items are <member>.
            x.List("DBProxies", "member", page, px =>
            {
                x.Str("DBProxyName", px.Name);
                x.Str("DBProxyArn", $"arn:aws:rds:{_state.Region}:{_state.AccountId}:db-proxy:prx-{RdsState.Hash(px.Name).ToLowerInvariant()[..17]}");
                x.Str("Status", px.Status);
                x.Str("EngineFamily", px.EngineFamily);
                x.Str("VpcId", px.VpcId);
                x.StringList("VpcSecurityGroupIds", "member", px.VpcSecurityGroupIds);
                x.StringList("VpcSubnetIds", "member", px.VpcSubnetIds);
                x.List("Auth", "member", new[] { px }, a =>
                {
                    x.Str("AuthScheme", a.AuthScheme);
                    x.Str("SecretArn", a.SecretArn);
                    x.Str("IAMAuth", a.IamAuth);
                    x.Str("ClientPasswordAuthType", a.EngineFamily == "POSTGRESQL" ? "POSTGRES_SCRAM_SHA_256" : "MYSQL_NATIVE_PASSWORD");
                });
                x.Str("RoleArn", px.RoleArn);
                x.Str("Endpoint", _state.ProxyEndpoint(px.Name));
                x.Bool("RequireTLS", px.RequireTls);
                x.Int("IdleClientTimeout", px.IdleClientTimeout);
                x.Bool("DebugLogging", px.DebugLogging);
                x.Time("CreatedDate", px.CreatedDate);
                x.Time("UpdatedDate", px.CreatedDate);
            });
            x.Str("Marker", marker);
        });
    }

    // ---- writers ------------------------------------------------------------------------------

    private static string SourceOf(ParameterDefinition def, ParameterSetting? set) => set is null ? def.DefaultSource : "user";

    private void WriteParameter(XmlOut x, ParameterDefinition def, ParameterSetting? set)
    {
        if (Terse)
        {
            // Name, and a value only where the group sets one: everything else is optional in the API model.
            x.Str("ParameterName", def.Name);
            x.Str("ParameterValue", set?.Value);
            return;
        }
        x.Str("ParameterName", def.Name);
        x.Str("ParameterValue", set?.Value ?? def.DefaultValue);
        x.Str("Description", def.Description);
        x.Str("Source", SourceOf(def, set));
        x.Str("ApplyType", def.ApplyType);
        x.Str("DataType", def.DataType);
        x.Str("AllowedValues", def.AllowedValues);
        x.Bool("IsModifiable", def.IsModifiable);
        x.Str("MinimumEngineVersion", def.MinimumEngineVersion);
        x.Str("ApplyMethod", set?.ApplyMethod ?? "pending-reboot");
        x.StringList("SupportedEngineModes", "member", def.SupportedEngineModes);
    }

    private void WriteGroup(XmlOut x, ClusterParameterGroupState g)
    {
        x.Str("DBClusterParameterGroupName", g.Name);
        x.Str("DBParameterGroupFamily", g.Family);
        x.Str("Description", g.Description);
        x.Str("DBClusterParameterGroupArn", _state.ClusterParameterGroupArn(g.Name));
    }

    private ClusterState? ClusterOf(InstanceState i) => _state.FindCluster(i.ClusterIdentifier);

    private static string ClusterResourceId(ClusterState c) =>
        string.IsNullOrEmpty(c.ResourceId) ? "cluster-" + RdsState.Hash(c.Identifier) : c.ResourceId;

    private string KmsKey => $"arn:aws:kms:{_state.Region}:{_state.AccountId}:key/4f1c5c2e-8d6b-4b7a-9a3e-2c1d0e9f8a7b";

    private void WriteCluster(XmlOut x, ClusterState c)
    {
        List<InstanceState> members = _state.MembersOf(c).ToList();
        x.Int("AllocatedStorage", 1);
        x.StringList("AvailabilityZones", "AvailabilityZone", new[] { _state.Region + "a", _state.Region + "b", _state.Region + "c" });
        x.Int("BackupRetentionPeriod", c.BackupRetentionPeriod);
        x.Str("DBClusterIdentifier", c.Identifier);
        x.Str("DBClusterParameterGroup", c.ClusterParameterGroup);
        x.Str("DBSubnetGroup", "default-vpc-0a1b2c3d4e5f60718");
        x.Str("Status", c.Status);
        x.Time("EarliestRestorableTime", DateTimeOffset.UtcNow.Date.AddDays(-7));
        x.Str("Endpoint", c.EndpointAddress ?? _state.ClusterEndpoint(c.Identifier));
        x.Str("ReaderEndpoint", c.ReaderEndpointAddress ?? _state.ReaderEndpoint(c.Identifier));
        x.Bool("MultiAZ", members.Count > 1);
        x.Str("Engine", c.Engine);
        x.Str("EngineVersion", c.EngineVersion);
        x.Time("LatestRestorableTime", DateTimeOffset.UtcNow.AddMinutes(-5));
        x.Int("Port", c.Port);
        x.Str("MasterUsername", c.MasterUsername);
        x.List("DBClusterOptionGroupMemberships", "DBClusterOptionGroup", Array.Empty<string>(), _ => { });
        x.Str("PreferredBackupWindow", "07:12-07:42");
        x.Str("PreferredMaintenanceWindow", "sun:05:04-sun:05:34");
        x.StringList("ReadReplicaIdentifiers", "ReadReplicaIdentifier", Array.Empty<string>());
        x.List("DBClusterMembers", "DBClusterMember", members, m =>
        {
            x.Str("DBInstanceIdentifier", m.Identifier);
            x.Bool("IsClusterWriter", m.IsClusterWriter);
            x.Str("DBClusterParameterGroupStatus", m.ClusterParameterGroupStatus);
            x.Int("PromotionTier", m.PromotionTier);
        });
        x.List("VpcSecurityGroups", "VpcSecurityGroupMembership", c.VpcSecurityGroupIds, sg =>
        {
            x.Str("VpcSecurityGroupId", sg);
            x.Str("Status", "active");
        });
        x.Str("HostedZoneId", _state.HostedZoneId);
        if (!Terse)
        {
            x.Bool("StorageEncrypted", c.StorageEncrypted);
            if (c.StorageEncrypted) x.Str("KmsKeyId", KmsKey);
        }
        if (c.PendingIamDatabaseAuthenticationEnabled is bool pendingIam)
        {
            x.Element("PendingModifiedValues", () => x.Bool("IAMDatabaseAuthenticationEnabled", pendingIam));
        }
        x.Str("DbClusterResourceId", ClusterResourceId(c));
        x.Str("DBClusterArn", _state.ClusterArn(c.Identifier));
        x.List("AssociatedRoles", "DBClusterRole", Array.Empty<string>(), _ => { });
        x.Bool("IAMDatabaseAuthenticationEnabled", c.IamDatabaseAuthenticationEnabled);
        x.Time("ClusterCreateTime", c.CreateTime);
        x.StringList("EnabledCloudwatchLogsExports", "member", c.EnabledCloudwatchLogsExports);
        x.Str("EngineMode", c.EngineMode);
        x.Bool("DeletionProtection", c.DeletionProtection);
        x.Bool("HttpEndpointEnabled", false);
        x.Bool("CopyTagsToSnapshot", c.CopyTagsToSnapshot);
        x.Bool("CrossAccountClone", false);
        x.List("DomainMemberships", "DomainMembership", Array.Empty<string>(), _ => { });
        x.List("TagList", "Tag", c.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), t =>
        {
            x.Str("Key", t.Key);
            x.Str("Value", t.Value);
        });
        x.Bool("AutoMinorVersionUpgrade", members.Count == 0 || members.All(m => m.AutoMinorVersionUpgrade));
        x.Str("NetworkType", "IPV4");
        if (c.ManageMasterUserPassword)
        {
            x.Element("MasterUserSecret", () =>
            {
                x.Str("SecretArn", _state.MasterUserSecretArn(c.Identifier));
                x.Str("SecretStatus", c.MasterUserSecretStatus);
                x.Str("KmsKeyId", KmsKey);
            });
        }
    }

    private void WriteInstance(XmlOut x, InstanceState i, string? statusOverride)
    {
        ClusterState? c = ClusterOf(i);
        CertificateState? cert = _state.Certificates.FirstOrDefault(k => Same(k.Identifier, i.CaCertificateIdentifier));
        string engine = c?.Engine ?? "aurora-mysql";
        x.Str("DBInstanceIdentifier", i.Identifier);
        x.Str("DBInstanceClass", i.InstanceClass);
        x.Str("Engine", engine);
        x.Str("DBInstanceStatus", statusOverride ?? i.Status);
        x.Str("MasterUsername", c?.MasterUsername ?? "admin");
        x.Element("Endpoint", () =>
        {
            x.Str("Address", i.EndpointAddress ?? _state.InstanceEndpoint(i.Identifier));
            x.Int("Port", c?.Port ?? 3306);
            x.Str("HostedZoneId", _state.HostedZoneId);
        });
        x.Int("AllocatedStorage", 1);
        x.Time("InstanceCreateTime", i.CreateTime);
        x.Str("PreferredBackupWindow", "07:12-07:42");
        x.Int("BackupRetentionPeriod", c?.BackupRetentionPeriod ?? 7);
        x.List("DBSecurityGroups", "DBSecurityGroup", Array.Empty<string>(), _ => { });
        x.List("VpcSecurityGroups", "VpcSecurityGroupMembership", c?.VpcSecurityGroupIds ?? new List<string> { "sg-0123456789abcdef0" }, sg =>
        {
            x.Str("VpcSecurityGroupId", sg);
            x.Str("Status", "active");
        });
        x.List("DBParameterGroups", "DBParameterGroup", new[] { i }, g =>
        {
            x.Str("DBParameterGroupName", g.DbParameterGroup);
            x.Str("ParameterApplyStatus", g.DbParameterGroupApplyStatus);
        });
        x.Str("AvailabilityZone", i.AvailabilityZone);
        x.Str("PreferredMaintenanceWindow", "sun:05:04-sun:05:34");
        if (!Terse) x.Element("PendingModifiedValues", () => { });
        x.Bool("MultiAZ", false);
        x.Str("EngineVersion", c?.EngineVersion);
        x.Bool("AutoMinorVersionUpgrade", i.AutoMinorVersionUpgrade);
        x.StringList("ReadReplicaDBInstanceIdentifiers", "ReadReplicaDBInstanceIdentifier", Array.Empty<string>());
        x.Str("LicenseModel", engine == "aurora-postgresql" ? "postgresql-license" : engine == "neptune" ? "amazon-license" : "general-public-license");
        x.List("OptionGroupMemberships", "OptionGroupMembership", new[] { engine }, e =>
        {
            x.Str("OptionGroupName", e == "aurora-mysql" ? "default:" + ParameterCatalog.FamilyOf(e, c?.EngineVersion ?? "").Replace("aurora-mysql", "aurora-mysql-", StringComparison.Ordinal).Replace('.', '-') : "default:" + e);
            x.Str("Status", "in-sync");
        });
        if (!Terse) x.Bool("PubliclyAccessible", i.PubliclyAccessible);
        x.Str("StorageType", "aurora");
        x.Int("DbInstancePort", 0);
        x.Str("DBClusterIdentifier", i.ClusterIdentifier);
        if (!Terse)
        {
            x.Bool("StorageEncrypted", c?.StorageEncrypted ?? false);
            if (c?.StorageEncrypted == true) x.Str("KmsKeyId", KmsKey);
        }
        x.Str("DbiResourceId", string.IsNullOrEmpty(i.ResourceId) ? "db-" + RdsState.Hash(i.Identifier) : i.ResourceId);
        x.Str("CACertificateIdentifier", i.CaCertificateIdentifier);
        x.List("DomainMemberships", "DomainMembership", Array.Empty<string>(), _ => { });
        x.Bool("CopyTagsToSnapshot", c?.CopyTagsToSnapshot ?? false);
        x.Int("MonitoringInterval", 0);
        x.Int("PromotionTier", i.PromotionTier);
        x.Str("DBInstanceArn", _state.InstanceArn(i.Identifier));
        if (!Terse) x.Bool("IAMDatabaseAuthenticationEnabled", c?.IamDatabaseAuthenticationEnabled ?? false);
        x.Bool("PerformanceInsightsEnabled", false);
        x.Bool("DeletionProtection", false);
        x.List("AssociatedRoles", "DBInstanceRole", Array.Empty<string>(), _ => { });
        x.List("TagList", "Tag", Array.Empty<string>(), _ => { });
        x.Bool("CustomerOwnedIpEnabled", false);
        x.Str("NetworkType", "IPV4");
        if (cert is not null && !Terse)
        {
            x.Element("CertificateDetails", () =>
            {
                x.Str("CAIdentifier", cert.Identifier);
                x.Time("ValidTill", cert.ValidTill);
            });
        }
        x.Bool("DedicatedLogVolume", false);
    }

    private static bool IsValidGroupName(string name)
    {
        if (name.Length is < 1 or > 255 || !char.IsAsciiLetter(name[0]) || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal)) return false;
        return name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-');
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
