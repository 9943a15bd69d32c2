using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Drops accounts (DROP USER); reserved accounts are refused before any SQL.</summary>
    [Cmdlet(VerbsCommon.Remove, "AuroraDbUser", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAuroraDbUserCommand : SingleAccountCmdlet
    {
        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "drop");
                if (ConfirmUnlessForced(Force, Describe(User, HostName), "Drop the account", null) == ConfirmOutcome.Proceed)
                {
                    service.DropUser(User, HostName);
                }
            });
        }
    }
}
