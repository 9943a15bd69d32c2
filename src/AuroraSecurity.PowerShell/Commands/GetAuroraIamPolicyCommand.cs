using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Iam;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// The least-privilege IAM policy for the module's cmdlets: the audit's reads, the change cmdlets' writes, or rds-db:connect
    /// for IAM database users of one cluster (read from RDS). Makes no change.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AuroraIamPolicy", DefaultParameterSetName = ScopeSet)]
    [OutputType(typeof(IamPolicy))]
    public sealed class GetAuroraIamPolicyCommand : AwsCmdletBase
    {
        private const string ScopeSet = "Scope";
        private const string DbUserSet = "DbUser";
        private const string ManagedSecretSet = "ManagedSecret";

        private readonly List<string> _clusters = new List<string>();

        /// <summary>Audit (reads, the default) or Change (the change cmdlets' writes); both when both are given.</summary>
        [Parameter(Position = 0, ParameterSetName = ScopeSet)]
        [Parameter(Position = 0, ParameterSetName = ManagedSecretSet)]
        [ValidateSet(nameof(IamPolicyScope.Audit), nameof(IamPolicyScope.Change))]
        public string[] Scope { get; set; } = { nameof(IamPolicyScope.Audit) };

        /// <summary>Role ARNs the holder may assume (sts:AssumeRole), for -RoleArn; the account may be *.</summary>
        [Parameter(ParameterSetName = ScopeSet)]
        [Parameter(ParameterSetName = ManagedSecretSet)]
        [ValidateNotNullOrEmpty]
        public string[]? AssumableRoleArn { get; set; }

        /// <summary>
        /// The audit policy also allows secretsmanager:GetSecretValue on the clusters' RDS-managed master secrets (Invoke-AuroraSecurityAudit
        /// -UseManagedMasterSecret), and kms:Decrypt through Secrets Manager; on the named clusters' secrets with -ClusterIdentifier, else on every rds!cluster-* secret.
        /// </summary>
        [Parameter(ParameterSetName = ScopeSet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedSecretSet)]
        public SwitchParameter UseManagedMasterSecret { get; set; }

        /// <summary>The cluster whose IAM database users the rds-db:connect policy is for, or whose master secret -UseManagedMasterSecret names.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DbUserSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedSecretSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterIdentifier", "DBClusterArn")]
        [ValidateNotNullOrEmpty]
        public string ClusterIdentifier { get; set; } = string.Empty;

        /// <summary>The database users (created with AWSAuthenticationPlugin) the policy lets connect.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DbUserSet)]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string[] DbUser { get; set; } = new string[0];

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == DbUserSet)
            {
                var context = ResolveAwsContext();
                var rds = GetRdsApi(context);
                try
                {
                    WriteObject(Await(ct => AuroraIamPolicies.DbConnectAsync(rds, context.Region, ClusterIdentifier, DbUser, ct)));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    WriteFailure(e, ClusterIdentifier);
                }

                return;
            }

            if (ParameterSetName == ManagedSecretSet)
            {
                // One policy for every cluster named or piped in, written at the end.
                _clusters.Add(ClusterIdentifier);
                return;
            }

            ManagedSecretGrant? grant = null;
            if (UseManagedMasterSecret.IsPresent)
            {
                // Offline: the region given (or every region), every account.
                var region = Region != null && Region.Length == 1 ? Region[0].Trim() : null;
                try
                {
                    if (region != null) Rds.RdsEndpoint.ValidateRegion(region);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, region);
                }

                grant = AuroraIamPolicies.AllManagedSecrets(region, null);
            }

            WritePolicies(grant);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (ParameterSetName != ManagedSecretSet || _clusters.Count == 0) return;
            var context = ResolveAwsContext();
            var rds = GetRdsApi(context);
            ManagedSecretGrant grant;
            try
            {
                grant = Await(ct => AuroraIamPolicies.ManagedSecretsAsync(rds, context.Region, _clusters, ct));
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, _clusters.Count == 1 ? _clusters[0] : (object)_clusters.ToArray());
                return;
            }

            WritePolicies(grant);
        }

        private void WritePolicies(ManagedSecretGrant? grant)
        {
            foreach (var scope in Scope)
            {
                try
                {
                    WriteObject(AuroraIamPolicies.For((IamPolicyScope)System.Enum.Parse(typeof(IamPolicyScope), scope, ignoreCase: true), AssumableRoleArn, grant));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, AssumableRoleArn);
                }
            }
        }
    }
}
