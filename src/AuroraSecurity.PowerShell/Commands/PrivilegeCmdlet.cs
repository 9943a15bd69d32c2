using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>What Grant-AuroraPrivilege and Revoke-AuroraPrivilege share: the privileges, the level and the account.</summary>
    public abstract class PrivilegeCmdlet : AccountCmdlet
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

        /// <summary>"Grant" or "Revoke", for the ShouldProcess text.</summary>
        protected abstract string Action { get; }

        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "change the privileges of");
                var level = PrivilegeLevel.Parse(On);
                var names = Privileges.Normalize(Privilege, level);
                if (ConfirmChange(Describe(User, HostName), $"{Action} {string.Join(", ", names)} on {level}", Force, null) == ConfirmOutcome.Proceed)
                {
                    Apply(service);
                }
            });
        }

        /// <summary>Sends the statement, once the user has agreed.</summary>
        protected abstract void Apply(AccountService service);
    }
}
