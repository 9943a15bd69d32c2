using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Reporting;
using AuroraSecurity.Secrets;

namespace AuroraSecurity.Iam
{
    /// <summary>What a policy lets its holder do with this module.</summary>
    public enum IamPolicyScope
    {
        /// <summary>Every read of the audit and the read cmdlets (RDS and EC2 Describe calls).</summary>
        Audit,

        /// <summary>The writes of the change cmdlets and the repair; held beside the audit policy, since they read first.</summary>
        Change,

        /// <summary>rds-db:connect for IAM database users of one cluster.</summary>
        DbConnect,
    }

    /// <summary>The master secrets an audit policy lets its holder read (-UseManagedMasterSecret), the KMS keys that encrypt them, and their regions.</summary>
    public sealed class ManagedSecretGrant
    {
        internal ManagedSecretGrant(IEnumerable<string> secretArns, IEnumerable<string> kmsKeyArns, IEnumerable<string> regions)
        {
            SecretArns = secretArns.Distinct(StringComparer.Ordinal).ToList();
            KmsKeyArns = kmsKeyArns.Distinct(StringComparer.Ordinal).ToList();
            ViaServices = regions.Distinct(StringComparer.Ordinal)
                .Select(r => "secretsmanager." + r + "." + (r == "*" ? "amazonaws.com" : RdsEndpoint.DnsSuffix(r))).ToList();
        }

        public IReadOnlyList<string> SecretArns { get; }

        /// <summary>The keys' ARNs; empty when a key is not known by ARN (kms:Decrypt then names "*", still only via Secrets Manager).</summary>
        public IReadOnlyList<string> KmsKeyArns { get; }

        /// <summary>The kms:ViaService values (secretsmanager.&lt;region&gt;.amazonaws.com).</summary>
        public IReadOnlyList<string> ViaServices { get; }
    }

    /// <summary>An IAM policy document: its scope, the actions and resources it allows, and its JSON.</summary>
    public sealed class IamPolicy
    {
        internal IamPolicy(IamPolicyScope scope, IReadOnlyList<string> actions, IReadOnlyList<string> resources, string document)
        {
            Scope = scope;
            Actions = actions;
            Resources = resources;
            Document = document;
        }

        public IamPolicyScope Scope { get; }

        /// <summary>Every action the policy allows, service-prefixed ("rds:DescribeDBClusters").</summary>
        public IReadOnlyList<string> Actions { get; }

        /// <summary>The resources of its statements ("*" where the actions take no narrower resource).</summary>
        public IReadOnlyList<string> Resources { get; }

        /// <summary>The policy as IAM takes it (aws iam create-policy --policy-document).</summary>
        public string Document { get; }

        public override string ToString() => Document;
    }

    /// <summary>
    /// The least-privilege IAM policies for the module: exactly the actions its cmdlets send. The audit reads only; the change
    /// cmdlets' writes are a separate policy; IAM database users get rds-db:connect on their cluster's resource id.
    /// </summary>
    public static class AuroraIamPolicies
    {
        private static readonly System.Text.RegularExpressions.Regex RoleArnPattern =
            new System.Text.RegularExpressions.Regex(@"^arn:aws[a-z-]*:iam::(\d{12}|\*):role/[\w+=,.@/*-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>What the audit and the read cmdlets send (Get-AuroraCluster, Get-AuroraTlsConfig, Get-AuroraEngineDefaultParameter, Get-AuroraConnectionGuide).</summary>
        public static IReadOnlyList<string> AuditActions { get; } = new[]
        {
            "ec2:DescribeSecurityGroups",
            "rds:DescribeDBClusterParameterGroups",
            "rds:DescribeDBClusterParameters",
            "rds:DescribeDBClusterSnapshotAttributes",
            "rds:DescribeDBClusterSnapshots",
            "rds:DescribeDBClusters",
            "rds:DescribeDBInstances",
            "rds:DescribeDBProxies",
            "rds:DescribeDBProxyTargets",
            "rds:DescribeEngineDefaultClusterParameters",
        };

        /// <summary>The writes of the change cmdlets and Repair-AuroraSecurityFinding.</summary>
        public static IReadOnlyList<string> ChangeActions { get; } = new[]
        {
            "rds:CreateDBClusterParameterGroup",
            "rds:ModifyDBCluster",
            "rds:ModifyDBClusterParameterGroup",
        };

        /// <summary>What -UseManagedMasterSecret sends: the read of each cluster's RDS-managed master secret.</summary>
        public static IReadOnlyList<string> ManagedMasterSecretActions { get; } = new[]
        {
            "secretsmanager:GetSecretValue",
        };

        /// <summary>Actions the RDS client can send that no cmdlet sends, so no policy allows them.</summary>
        public static IReadOnlyList<string> UnusedClientActions { get; } = new[]
        {
            "rds:DescribeCertificates",
            "rds:RebootDBInstance",
            "rds:ResetDBClusterParameterGroup",
        };

        /// <summary>
        /// The audit (read) or change (write) policy; <paramref name="assumableRoleArns"/>, when given, adds sts:AssumeRole on those roles
        /// (what the identity that runs -RoleArn needs).
        /// </summary>
        public static IamPolicy For(IamPolicyScope scope, IEnumerable<string>? assumableRoleArns = null) => For(scope, assumableRoleArns, null);

        /// <summary>
        /// The audit (read) or change (write) policy, with sts:AssumeRole on <paramref name="assumableRoleArns"/>; the audit policy also allows
        /// reading the master secrets <paramref name="managedSecrets"/> names (-UseManagedMasterSecret), and kms:Decrypt through Secrets Manager only.
        /// </summary>
        public static IamPolicy For(IamPolicyScope scope, IEnumerable<string>? assumableRoleArns, ManagedSecretGrant? managedSecrets)
        {
            if (scope == IamPolicyScope.DbConnect) throw DbConnectNeedsCluster();
            var actions = scope == IamPolicyScope.Audit ? AuditActions : ChangeActions;
            var statements = new List<object>
            {
                Statement("AuroraSecurity" + scope, actions, "*"),
            };
            var roles = (assumableRoleArns ?? Enumerable.Empty<string>()).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
            var resources = new List<string> { "*" };
            var allActions = actions.ToList();
            if (roles.Count > 0)
            {
                // A policy may name every account's role of one name (arn:aws:iam::*:role/AuroraAuditor).
                var invalid = roles.FirstOrDefault(r => !RoleArnPattern.IsMatch(r));
                if (invalid != null) throw AssumeRoleSettings.InvalidRoleArn(invalid);

                statements.Add(Statement("AuroraSecurityAssumeRole", new[] { "sts:AssumeRole" }, roles.Count == 1 ? (object)roles[0] : roles));
                resources.AddRange(roles);
                allActions.Add("sts:AssumeRole");
            }

            if (managedSecrets != null && scope == IamPolicyScope.Audit)
            {
                statements.Add(Statement("AuroraSecurityManagedMasterSecret", ManagedMasterSecretActions,
                    managedSecrets.SecretArns.Count == 1 ? (object)managedSecrets.SecretArns[0] : managedSecrets.SecretArns.ToList()));
                // A customer managed key needs kms:Decrypt too, and only for Secrets Manager's use of it.
                var kms = Statement("AuroraSecurityManagedMasterSecretKey", new[] { "kms:Decrypt" },
                    managedSecrets.KmsKeyArns.Count == 0 ? "*" : managedSecrets.KmsKeyArns.Count == 1 ? (object)managedSecrets.KmsKeyArns[0] : managedSecrets.KmsKeyArns.ToList());
                var viaService = managedSecrets.ViaServices.Count == 1 ? (object)managedSecrets.ViaServices[0] : managedSecrets.ViaServices.ToList();
                ((Dictionary<string, object>)kms)["Condition"] = new Dictionary<string, object>
                {
                    [managedSecrets.ViaServices.Any(v => v.IndexOf('*') >= 0) ? "StringLike" : "StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = viaService },
                };
                statements.Add(kms);
                allActions.AddRange(ManagedMasterSecretActions);
                allActions.Add("kms:Decrypt");
                resources.AddRange(managedSecrets.SecretArns);
                resources.AddRange(managedSecrets.KmsKeyArns.Count == 0 ? new[] { "*" } : managedSecrets.KmsKeyArns);
            }

            return new IamPolicy(scope, allActions, resources.Distinct(StringComparer.Ordinal).ToList(), Document(statements));
        }

        /// <summary>
        /// What -UseManagedMasterSecret reads, for the clusters RDS describes: each one's MasterUserSecret ARN and the KMS key that encrypts it. A cluster
        /// without MasterUserSecret is an error that says so.
        /// </summary>
        public static async Task<ManagedSecretGrant> ManagedSecretsAsync(IRdsApi rds, string region, IEnumerable<string> clusterIdentifiers, CancellationToken cancellationToken = default)
        {
            if (rds == null) throw new ArgumentNullException(nameof(rds));
            var ids = (clusterIdentifiers ?? Enumerable.Empty<string>()).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (ids.Count == 0) throw new ArgumentException("Give at least one cluster identifier.", nameof(clusterIdentifiers));
            var secrets = new List<string>();
            var keys = new List<string>();
            var regions = new List<string>();
            foreach (var id in ids)
            {
                IReadOnlyList<RdsDbCluster> clusters;
                try
                {
                    clusters = await rds.DescribeDBClustersAsync(id, null, cancellationToken).ConfigureAwait(false);
                }
                catch (RdsApiException e)
                {
                    throw RdsErrorTranslator.Translate(e, $"cluster '{EchoedInput.Shorten(id)}'", region);
                }

                var cluster = clusters.FirstOrDefault(c => string.Equals(c.DBClusterIdentifier, id, StringComparison.OrdinalIgnoreCase) || string.Equals(c.DBClusterArn, id, StringComparison.Ordinal))
                    ?? clusters.FirstOrDefault() ?? throw RdsErrorTranslator.ClusterNotFound($"cluster '{EchoedInput.Shorten(id)}'", region);
                var arn = SecretArn.TryParse(cluster.MasterUserSecret?.SecretArn);
                if (arn == null) throw SecretsManagerErrorTranslator.NoManagedSecret(cluster.DBClusterIdentifier);
                secrets.Add(arn.Text);
                regions.Add(arn.Region);
                var key = cluster.MasterUserSecret!.KmsKeyId;
                // Only a key ARN names a resource; an alias or bare id is left to "*" under the kms:ViaService condition.
                if (key != null && key.StartsWith("arn:", StringComparison.Ordinal) && key.IndexOf(":key/", StringComparison.Ordinal) > 0) keys.Add(key);
                else keys.Add("*");
            }

            return new ManagedSecretGrant(secrets, keys.Contains("*") ? new List<string>() : keys, regions);
        }

        /// <summary>
        /// Every RDS-managed master secret (arn:&lt;partition&gt;:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:rds!cluster-*) in the region and account
        /// given, or in every region or account where they are null.
        /// </summary>
        public static ManagedSecretGrant AllManagedSecrets(string? region, string? accountId)
        {
            var partition = region == null ? "aws" : AwsPartitions.OfRegion(region);
            var arn = $"arn:{partition}:secretsmanager:{region ?? "*"}:{accountId ?? "*"}:secret:rds!cluster-*";
            return new ManagedSecretGrant(new[] { arn }, new string[0], new[] { region ?? "*" });
        }

        /// <summary>
        /// rds-db:connect for <paramref name="dbUsers"/> on the cluster RDS describes: arn:&lt;partition&gt;:rds-db:&lt;region&gt;:&lt;account&gt;:dbuser:&lt;DbClusterResourceId&gt;/&lt;user&gt;.
        /// The partition, region and account come from the cluster's ARN; a resource id or ARN RDS left out is an error, never a guess.
        /// </summary>
        public static async Task<IamPolicy> DbConnectAsync(IRdsApi rds, string region, string clusterIdentifier, IEnumerable<string> dbUsers, CancellationToken cancellationToken = default)
        {
            if (rds == null) throw new ArgumentNullException(nameof(rds));
            if (string.IsNullOrWhiteSpace(clusterIdentifier)) throw new ArgumentException("Give the cluster identifier.", nameof(clusterIdentifier));
            var users = (dbUsers ?? Enumerable.Empty<string>()).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.Ordinal).ToList();
            if (users.Count == 0) throw new ArgumentException("Give at least one database user.", nameof(dbUsers));
            IReadOnlyList<RdsDbCluster> clusters;
            try
            {
                clusters = await rds.DescribeDBClustersAsync(clusterIdentifier.Trim(), null, cancellationToken).ConfigureAwait(false);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, $"cluster '{EchoedInput.Shorten(clusterIdentifier)}'", region);
            }

            var cluster = clusters.FirstOrDefault(c => string.Equals(c.DBClusterIdentifier, clusterIdentifier.Trim(), StringComparison.OrdinalIgnoreCase)) ?? clusters.FirstOrDefault();
            var arn = ParseClusterArn(cluster?.DBClusterArn);
            if (cluster == null || string.IsNullOrWhiteSpace(cluster.DbClusterResourceId) || arn == null)
            {
                throw new AuroraSecurityException("ClusterResourceIdUnknown", FailureKind.InvalidOperation,
                    $"RDS did not say the resource id and ARN of cluster '{EchoedInput.Shorten(clusterIdentifier)}', which rds-db:connect names; no policy was made. Check the identifier and that the credentials may call rds:DescribeDBClusters.");
            }

            var resources = users.Select(u => $"arn:{arn.Value.Partition}:rds-db:{arn.Value.Region}:{arn.Value.Account}:dbuser:{cluster.DbClusterResourceId}/{u}").ToList();
            var statement = Statement("AuroraSecurityDbConnect", new[] { "rds-db:connect" }, resources.Count == 1 ? (object)resources[0] : resources);
            return new IamPolicy(IamPolicyScope.DbConnect, new[] { "rds-db:connect" }, resources, Document(new List<object> { statement }));
        }

        private static AuroraSecurityException DbConnectNeedsCluster() =>
            new AuroraSecurityException("DbConnectNeedsCluster", FailureKind.InvalidArgument,
                "The rds-db:connect policy names one cluster's resource id: give -ClusterIdentifier and -DbUser instead of -Scope DbConnect.");

        // arn:<partition>:rds:<region>:<account>:cluster:<name>
        private static (string Partition, string Region, string Account)? ParseClusterArn(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var parts = text!.Split(':');
            if (parts.Length < 7 || parts[0] != "arn" || parts[2] != "rds" || parts[5] != "cluster") return null;
            if (parts[1].Length == 0 || parts[3].Length == 0 || parts[4].Length == 0) return null;
            return (parts[1], parts[3], parts[4]);
        }

        private static object Statement(string sid, IReadOnlyList<string> actions, object resource)
        {
            var statement = new Dictionary<string, object>
            {
                ["Sid"] = sid,
                ["Effect"] = "Allow",
                ["Action"] = actions.Count == 1 ? (object)actions[0] : actions.ToList(),
                ["Resource"] = resource,
            };
            return statement;
        }

        private static string Document(List<object> statements) =>
            JsonText.Write(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements }, indent: true);
    }
}
