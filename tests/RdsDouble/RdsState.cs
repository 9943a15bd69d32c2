using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RdsDouble;

/// <summary>A user-set value in a cluster parameter group.</summary>
public sealed class ParameterSetting
{
    public string Value { get; set; } = "";
    public string ApplyMethod { get; set; } = "pending-reboot";
}

public sealed class ClusterParameterGroupState
{
    public string Name { get; set; } = "";
    public string Family { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>User-set parameters by name; everything else reports the engine default.</summary>
    public Dictionary<string, ParameterSetting> Parameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Changes accepted but not visible yet (minimal mode's parameter delay); they join <see cref="Parameters"/> when due.</summary>
    public List<DelayedParameterChange> DelayedChanges { get; set; } = new();
    [JsonIgnore] public bool IsDefault => Name.StartsWith("default.", StringComparison.Ordinal);
}

public sealed class InstanceParameterGroupState
{
    public string Name { get; set; } = "";
    public string Family { get; set; } = "";
    public string Description { get; set; } = "";
}

public sealed class ClusterState
{
    public string Identifier { get; set; } = "";
    public string Engine { get; set; } = "aurora-mysql";
    public string EngineVersion { get; set; } = "8.0.mysql_aurora.3.05.2";
    public string EngineMode { get; set; } = "provisioned";
    public string Status { get; set; } = "available";
    public string ClusterParameterGroup { get; set; } = "";
    public string MasterUsername { get; set; } = "admin";
    public int Port { get; set; } = 3306;
    /// <summary>A host name that replaces the generated cluster endpoint (a test can point a cluster at a local server).</summary>
    public string? EndpointAddress { get; set; }
    /// <summary>A host name that replaces the generated reader endpoint.</summary>
    public string? ReaderEndpointAddress { get; set; }
    public bool IamDatabaseAuthenticationEnabled { get; set; }
    public bool StorageEncrypted { get; set; } = true;
    public bool DeletionProtection { get; set; }
    public DateTimeOffset CreateTime { get; set; } = new(2023, 3, 14, 9, 26, 53, TimeSpan.Zero);
    public string ResourceId { get; set; } = "";
    public int BackupRetentionPeriod { get; set; } = 7;
    public bool CopyTagsToSnapshot { get; set; }
    /// <summary>True when RDS manages the master password in Secrets Manager (the answer then carries MasterUserSecret).</summary>
    public bool ManageMasterUserPassword { get; set; }
    public string MasterUserSecretStatus { get; set; } = "active";
    public List<string> EnabledCloudwatchLogsExports { get; set; } = new();
    public List<string> VpcSecurityGroupIds { get; set; } = new() { "sg-0123456789abcdef0" };
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>An IAM setting accepted by ModifyDBCluster and held in PendingModifiedValues (minimal mode); null when none.</summary>
    public bool? PendingIamDatabaseAuthenticationEnabled { get; set; }
    /// <summary>DescribeDBClusters answers that still show the pending setting before it is applied.</summary>
    public int PendingDescribesLeft { get; set; }
}

public sealed class InstanceState
{
    public string Identifier { get; set; } = "";
    public string ClusterIdentifier { get; set; } = "";
    public bool IsClusterWriter { get; set; }
    public int PromotionTier { get; set; } = 1;
    public string InstanceClass { get; set; } = "db.r6g.large";
    public string Status { get; set; } = "available";
    public string DbParameterGroup { get; set; } = "";
    public string DbParameterGroupApplyStatus { get; set; } = "in-sync";
    /// <summary>The member's DBClusterParameterGroupStatus: in-sync, pending-reboot, applying.</summary>
    public string ClusterParameterGroupStatus { get; set; } = "in-sync";
    public string CaCertificateIdentifier { get; set; } = "rds-ca-rsa2048-g1";
    /// <summary>A host name that replaces the generated instance endpoint.</summary>
    public string? EndpointAddress { get; set; }
    public string AvailabilityZone { get; set; } = "us-east-1a";
    public DateTimeOffset CreateTime { get; set; } = new(2023, 3, 14, 9, 41, 7, TimeSpan.Zero);
    public string ResourceId { get; set; } = "";
    public bool PubliclyAccessible { get; set; }
    public bool AutoMinorVersionUpgrade { get; set; } = true;
}

/// <summary>A manual DB cluster snapshot; <see cref="RestoreAccounts"/> is its "restore" attribute ("all" makes it public).</summary>
public sealed class ClusterSnapshotState
{
    public string Identifier { get; set; } = "";
    public string ClusterIdentifier { get; set; } = "";
    public string SnapshotType { get; set; } = "manual";
    public bool StorageEncrypted { get; set; } = true;
    public string Status { get; set; } = "available";
    public DateTimeOffset CreateTime { get; set; } = new(2025, 6, 1, 3, 0, 0, TimeSpan.Zero);
    public List<string> RestoreAccounts { get; set; } = new();
}

/// <summary>An EC2 VPC security group with its inbound rules.</summary>
public sealed class SecurityGroupState
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string VpcId { get; set; } = "vpc-0a1b2c3d4e5f60718";
    public List<SecurityGroupRuleState> Ingress { get; set; } = new();
}

public sealed class SecurityGroupRuleState
{
    /// <summary>tcp, udp, icmp or -1 (all traffic, no ports).</summary>
    public string Protocol { get; set; } = "tcp";
    public int? FromPort { get; set; }
    public int? ToPort { get; set; }
    public List<string> Cidrs { get; set; } = new();
    public List<string> Ipv6Cidrs { get; set; } = new();
    public List<string> SourceGroups { get; set; } = new();
}

public sealed class CertificateState
{
    public string Identifier { get; set; } = "";
    public string CertificateType { get; set; } = "CA";
    public string Thumbprint { get; set; } = "";
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ValidTill { get; set; }
}

public sealed class ProxyState
{
    public string Name { get; set; } = "";
    public string EngineFamily { get; set; } = "MYSQL";
    public string Status { get; set; } = "available";
    public bool RequireTls { get; set; } = true;
    public int IdleClientTimeout { get; set; } = 1800;
    public bool DebugLogging { get; set; }
    public string VpcId { get; set; } = "vpc-0a1b2c3d4e5f60718";
    public List<string> VpcSecurityGroupIds { get; set; } = new();
    public List<string> VpcSubnetIds { get; set; } = new();
    public string AuthScheme { get; set; } = "SECRETS";
    public string IamAuth { get; set; } = "REQUIRED";
    public string SecretArn { get; set; } = "";
    public string RoleArn { get; set; } = "";
    public List<string> TargetClusters { get; set; } = new();
    public DateTimeOffset CreatedDate { get; set; } = new(2024, 1, 10, 8, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// A Secrets Manager secret. One with <see cref="ClusterIdentifier"/> is that cluster's RDS-managed master user secret (its ARN is the
/// MasterUserSecret ARN DescribeDBClusters reports); otherwise <see cref="Name"/> names it.
/// </summary>
public sealed class SecretState
{
    public string? ClusterIdentifier { get; set; }
    public string? Name { get; set; }
    /// <summary>The login RDS writes into the secret ({"username": …, "password": …}), unless <see cref="SecretString"/> gives the text itself.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>The secret's text as stored, for secrets of another shape; wins over <see cref="Username"/> and <see cref="Password"/>.</summary>
    public string? SecretString { get; set; }
    public string VersionId { get; set; } = "0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a10";
    public DateTimeOffset CreatedDate { get; set; } = new(2025, 3, 14, 9, 26, 53, 125, TimeSpan.Zero);
    /// <summary>An error GetSecretValue answers instead of the value: DecryptionFailure, AccessDeniedException or InvalidRequestException (scheduled for deletion).</summary>
    public string? Failure { get; set; }
}

/// <summary>
/// Everything the double knows. Operations lock <see cref="SyncRoot"/>; tests that change the
/// state while the server runs should do the same.
/// </summary>
public sealed class RdsState
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    [JsonIgnore] public object SyncRoot { get; } = new();

    public string AccountId { get; set; } = "123456789012";
    public string Region { get; set; } = "us-east-1";
    /// <summary>The per-account part of endpoint host names (abc123xyz in orders.cluster-abc123xyz.us-east-1.rds.amazonaws.com).</summary>
    public string EndpointSuffix { get; set; } = "abc123xyz";
    public string HostedZoneId { get; set; } = "Z2R2ITUGPM61AM";
    public string DefaultCertificate { get; set; } = "rds-ca-rsa2048-g1";

    public List<ClusterParameterGroupState> ClusterParameterGroups { get; set; } = new();
    public List<InstanceParameterGroupState> InstanceParameterGroups { get; set; } = new();
    public List<ClusterState> Clusters { get; set; } = new();
    public List<InstanceState> Instances { get; set; } = new();
    public List<CertificateState> Certificates { get; set; } = new();
    public List<ProxyState> Proxies { get; set; } = new();
    public List<ClusterSnapshotState> ClusterSnapshots { get; set; } = new();
    public List<SecurityGroupState> SecurityGroups { get; set; } = new();
    public List<SecretState> Secrets { get; set; } = new();

    public static RdsState FromJson(string json) =>
        JsonSerializer.Deserialize<RdsState>(json, JsonOptions) ?? throw new InvalidDataException("The state file is empty.");

    public static RdsState Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The built-in seed (seed/default-state.json, embedded in the assembly).</summary>
    public static RdsState LoadDefault()
    {
        Assembly asm = typeof(RdsState).Assembly;
        string name = asm.GetManifestResourceNames().Single(n => n.EndsWith("default-state.json", StringComparison.Ordinal));
        using Stream stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    public string ToJson()
    {
        lock (SyncRoot) return JsonSerializer.Serialize(this, JsonOptions);
    }

    public ClusterState? FindCluster(string idOrArn)
    {
        string id = StripArn(idOrArn, ":cluster:");
        return Clusters.FirstOrDefault(c => string.Equals(c.Identifier, id, StringComparison.OrdinalIgnoreCase));
    }

    public InstanceState? FindInstance(string idOrArn)
    {
        string id = StripArn(idOrArn, ":db:");
        return Instances.FirstOrDefault(i => string.Equals(i.Identifier, id, StringComparison.OrdinalIgnoreCase));
    }

    public ClusterParameterGroupState? FindClusterParameterGroup(string name) =>
        ClusterParameterGroups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<InstanceState> MembersOf(ClusterState cluster) =>
        Instances.Where(i => string.Equals(i.ClusterIdentifier, cluster.Identifier, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ARN partition of the double's region (aws-cn for cn-*, aws-us-gov for us-gov-*).</summary>
    [JsonIgnore]
    public string Partition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
    public string ClusterArn(string id) => $"arn:{Partition}:rds:{Region}:{AccountId}:cluster:{id}";
    public string InstanceArn(string id) => $"arn:{Partition}:rds:{Region}:{AccountId}:db:{id}";
    public string ClusterParameterGroupArn(string name) => $"arn:{Partition}:rds:{Region}:{AccountId}:cluster-pg:{name}";
    public string ClusterEndpoint(string id) => $"{id}.cluster-{EndpointSuffix}.{Region}.rds.amazonaws.com";
    public string ReaderEndpoint(string id) => $"{id}.cluster-ro-{EndpointSuffix}.{Region}.rds.amazonaws.com";
    public string InstanceEndpoint(string id) => $"{id}.{EndpointSuffix}.{Region}.rds.amazonaws.com";
    public string ProxyEndpoint(string name) => $"{name}.proxy-{EndpointSuffix}.{Region}.rds.amazonaws.com";
    public string ClusterSnapshotArn(string id) => $"arn:aws:rds:{Region}:{AccountId}:cluster-snapshot:{id}";
    /// <summary>The name of a cluster's managed secret: the resource part of its ARN without Secrets Manager's six-character suffix.</summary>
    public string MasterUserSecretName(string clusterId) => $"rds!cluster-{Hash(clusterId).ToLowerInvariant()[..8]}";
    public string SecretArn(SecretState secret) =>
        secret.ClusterIdentifier is { Length: > 0 } cluster ? MasterUserSecretArn(cluster) : $"arn:{Partition}:secretsmanager:{Region}:{AccountId}:secret:{secret.Name}-{Hash(secret.Name ?? "")[..6]}";
    public string SecretName(SecretState secret) => secret.ClusterIdentifier is { Length: > 0 } cluster ? MasterUserSecretName(cluster) : secret.Name ?? "";

    /// <summary>The secret a SecretId names: its full ARN, or its name.</summary>
    public SecretState? FindSecret(string secretId) =>
        Secrets.FirstOrDefault(s => string.Equals(SecretArn(s), secretId, StringComparison.Ordinal) || string.Equals(SecretName(s), secretId, StringComparison.Ordinal));

    /// <summary>Makes <paramref name="clusterId"/> manage its master password in Secrets Manager (status active), its secret holding this login.</summary>
    public SecretState ManageMasterUserPassword(string clusterId, string username, string password)
    {
        lock (SyncRoot)
        {
            ClusterState cluster = FindCluster(clusterId) ?? throw new InvalidOperationException($"The double has no cluster '{clusterId}'.");
            cluster.ManageMasterUserPassword = true;
            cluster.MasterUserSecretStatus = "active";
            Secrets.RemoveAll(s => string.Equals(s.ClusterIdentifier, cluster.Identifier, StringComparison.OrdinalIgnoreCase));
            var secret = new SecretState { ClusterIdentifier = cluster.Identifier, Username = username, Password = password };
            Secrets.Add(secret);
            return secret;
        }
    }

    public string MasterUserSecretArn(string clusterId) => $"arn:{Partition}:secretsmanager:{Region}:{AccountId}:secret:{MasterUserSecretName(clusterId)}-AbCdEf";

    /// <summary>
    /// Adds <paramref name="clusterCount"/> Aurora MySQL clusters (two instances each) spread round-robin over
    /// <paramref name="groupCount"/> new custom cluster parameter groups. Returns the new cluster identifiers.
    /// </summary>
    public IReadOnlyList<string> AddAuroraMySqlClusters(int clusterCount, int groupCount, string engineVersion = "8.0.mysql_aurora.3.05.2",
        string prefix = "bench", int instancesPerCluster = 2)
    {
        if (clusterCount < 0 || groupCount < 1 || instancesPerCluster < 0) throw new ArgumentOutOfRangeException(nameof(clusterCount));
        string family = ParameterCatalog.FamilyOf("aurora-mysql", engineVersion);
        var ids = new List<string>(clusterCount);
        lock (SyncRoot)
        {
            var groups = new List<string>();
            for (int g = 0; g < groupCount; g++)
            {
                string name = $"{prefix}-cpg-{g + 1:D3}";
                if (FindClusterParameterGroup(name) is null)
                {
                    ClusterParameterGroups.Add(new ClusterParameterGroupState { Name = name, Family = family, Description = $"{prefix} group {g + 1}" });
                }
                groups.Add(name);
            }
            for (int c = 0; c < clusterCount; c++)
            {
                string id = $"{prefix}-{c + 1:D4}";
                if (FindCluster(id) is not null) throw new InvalidOperationException($"Cluster {id} already exists.");
                Clusters.Add(new ClusterState
                {
                    Identifier = id,
                    Engine = "aurora-mysql",
                    EngineVersion = engineVersion,
                    ClusterParameterGroup = groups[c % groups.Count],
                    IamDatabaseAuthenticationEnabled = c % 2 == 0,
                    ResourceId = "cluster-" + Hash(id),
                });
                for (int i = 0; i < instancesPerCluster; i++)
                {
                    string instanceId = $"{id}-{i + 1}";
                    Instances.Add(new InstanceState
                    {
                        Identifier = instanceId,
                        ClusterIdentifier = id,
                        IsClusterWriter = i == 0,
                        DbParameterGroup = "default." + family,
                        AvailabilityZone = Region + (char)('a' + i % 3),
                        ResourceId = "db-" + Hash(instanceId),
                    });
                }
                ids.Add(id);
            }
        }
        return ids;
    }

    internal static string Hash(string s)
    {
        byte[] h = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s));
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var chars = new char[26];
        for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[h[i] % 32];
        return new string(chars);
    }

    private static string StripArn(string value, string marker)
    {
        int at = value.StartsWith("arn:", StringComparison.Ordinal) ? value.IndexOf(marker, StringComparison.Ordinal) : -1;
        return at >= 0 ? value[(at + marker.Length)..] : value;
    }

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
}
