using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Drops accounts (DROP USER); reserved accounts are refused before any SQL.</summary>
    [Cmdlet(VerbsCommon.Remove, "AuroraDbUser", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAuroraDbUserCommand : SingleAccountCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "drop");
                if (ShouldProcess(Describe(User, HostName), "Drop the account"))
                {
                    service.DropUser(User, HostName);
                }
            });
        }
    }
}
