using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Renames an account (RENAME USER), keeping its privileges and TLS requirement.</summary>
    [Cmdlet(VerbsCommon.Rename, "AuroraDbUser", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DbUser))]
    public sealed class RenameAuroraDbUserCommand : AccountCmdlet
    {
        /// <summary>The current user name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string User { get; set; } = string.Empty;

        /// <summary>The current host pattern.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [AllowEmptyString]
        public string HostName { get; set; } = "%";

        /// <summary>The new user name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        public string NewUser { get; set; } = string.Empty;

        /// <summary>The new host pattern; the current one when omitted.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? NewHostName { get; set; }

        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var newHost = NewHostName ?? HostName;
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "rename");
                service.EnsureChangeable(NewUser, newHost, "rename an account to");
                if (ConfirmUnlessForced(Force, Describe(User, HostName), $"Rename the account to {Describe(NewUser, newHost)}", null) == ConfirmOutcome.Proceed)
                {
                    service.RenameUser(User, HostName, NewUser, newHost);
                    var renamed = service.FindUser(NewUser, newHost);
                    if (renamed != null)
                    {
                        WriteObject(renamed);
                    }
                }
            });
        }
    }
}
