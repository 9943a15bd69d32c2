using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Grants privileges (GRANT … ON level TO account); names are checked against the MySQL static privilege list first.</summary>
    [Cmdlet(VerbsSecurity.Grant, "AuroraPrivilege", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class GrantAuroraPrivilegeCommand : PrivilegeCmdlet
    {
        /// <summary>Adds WITH GRANT OPTION.</summary>
        [Parameter]
        public SwitchParameter WithGrantOption { get; set; }

        /// <inheritdoc />
        protected override PrivilegePlan Plan(AccountService service) => service.PlanGrant(Privilege, On, User, HostName, WithGrantOption);
    }
}
