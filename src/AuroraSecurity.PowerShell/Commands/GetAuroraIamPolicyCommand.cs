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

        /// <summary>Audit (reads, the default) or Change (the change cmdlets' writes); both when both are given.</summary>
        [Parameter(Position = 0, ParameterSetName = ScopeSet)]
        [ValidateSet(nameof(IamPolicyScope.Audit), nameof(IamPolicyScope.Change))]
        public string[] Scope { get; set; } = { nameof(IamPolicyScope.Audit) };

        /// <summary>Role ARNs the holder may assume (sts:AssumeRole), for -RoleArn; the account may be *.</summary>
        [Parameter(ParameterSetName = ScopeSet)]
        [ValidateNotNullOrEmpty]
        public string[]? AssumableRoleArn { get; set; }

        /// <summary>The cluster whose IAM database users the rds-db:connect policy is for.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DbUserSet, ValueFromPipelineByPropertyName = true)]
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

            foreach (var scope in Scope)
            {
                try
                {
                    WriteObject(AuroraIamPolicies.For((IamPolicyScope)System.Enum.Parse(typeof(IamPolicyScope), scope, ignoreCase: true), AssumableRoleArn));
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, AssumableRoleArn);
                }
            }
        }
    }
}
