using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Drops accounts (DROP USER); reserved accounts are refused before any SQL.</summary>
    [Cmdlet(VerbsCommon.Remove, "AuroraDbUser", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAuroraDbUserCommand : AccountCmdlet
    {
        /// <summary>The user name; binds User from Get-AuroraDbUser output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
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
                service.EnsureChangeable(User, HostName, "drop");
                if (ShouldProcess(Describe(User, HostName), "Drop the account"))
                {
                    service.DropUser(User, HostName);
                }
            });
        }
    }
}
