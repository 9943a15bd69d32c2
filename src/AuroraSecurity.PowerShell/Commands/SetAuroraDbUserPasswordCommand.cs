using System.Management.Automation;
using System.Security;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Changes an account's password (ALTER USER … IDENTIFIED BY); the password never appears in output or errors.</summary>
    [Cmdlet(VerbsCommon.Set, "AuroraDbUserPassword", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class SetAuroraDbUserPasswordCommand : SingleAccountCmdlet
    {
        /// <summary>The new password.</summary>
        [Parameter(Mandatory = true)]
        public SecureString Password { get; set; } = null!;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "change the password of");
                if (ShouldProcess(Describe(User, HostName), "Change the password"))
                {
                    service.SetPassword(User, HostName, Password);
                }
            });
        }
    }
}
