using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Reporting;

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
        public static IamPolicy For(IamPolicyScope scope, IEnumerable<string>? assumableRoleArns = null)
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

            return new IamPolicy(scope, allActions, resources, Document(statements));
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
