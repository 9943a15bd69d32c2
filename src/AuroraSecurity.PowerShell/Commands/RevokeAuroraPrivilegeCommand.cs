using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Revokes privileges (REVOKE … ON level FROM account); names are checked against the MySQL static privilege list first.</summary>
    [Cmdlet(VerbsSecurity.Revoke, "AuroraPrivilege", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RevokeAuroraPrivilegeCommand : PrivilegeCmdlet
    {
        /// <inheritdoc />
        protected override PrivilegePlan Plan(AccountService service) => service.PlanRevoke(Privilege, On, User, HostName);
    }
}
