using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Revokes privileges (REVOKE … ON level FROM account); names are checked against the MySQL static privilege list first.</summary>
    [Cmdlet(VerbsSecurity.Revoke, "AuroraPrivilege", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RevokeAuroraPrivilegeCommand : AccountCmdlet
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

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "change the privileges of");
                var names = Privileges.Normalize(Privilege, PrivilegeLevel.Parse(On));
                if (ShouldProcess(Describe(User, HostName), $"Revoke {string.Join(", ", names)} on {PrivilegeLevel.Parse(On)}"))
                {
                    service.Revoke(Privilege, On, User, HostName);
                }
            });
        }
    }
}
