using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Grants privileges (GRANT … ON level TO account); names are checked against the MySQL static privilege list first.</summary>
    [Cmdlet(VerbsSecurity.Grant, "AuroraPrivilege", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class GrantAuroraPrivilegeCommand : AccountCmdlet
    {
        /// <summary>Privilege names (SELECT, INSERT, "REPLICATION CLIENT", ALL…).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] Privilege { get; set; } = new string[0];

        /// <summary>The level: *.*, db.* or db.table.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("Level")]
        public string On { get; set; } = "*.*";

        /// <summary>The user name.</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string User { get; set; } = string.Empty;

        /// <summary>The host pattern.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [AllowEmptyString]
        public string HostName { get; set; } = "%";

        /// <summary>Adds WITH GRANT OPTION.</summary>
        [Parameter]
        public SwitchParameter WithGrantOption { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "change the privileges of");
                var names = Privileges.Normalize(Privilege, PrivilegeLevel.Parse(On));
                if (ShouldProcess(Describe(User, HostName), $"Grant {string.Join(", ", names)} on {PrivilegeLevel.Parse(On)}"))
                {
                    service.Grant(Privilege, On, User, HostName, WithGrantOption);
                }
            });
        }
    }
}
