using System.Management.Automation;
using System.Security;
using AuroraSecurity.Sql.Accounts;

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

        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Allows an empty -Password (with a warning); refused otherwise.</summary>
        [Parameter]
        public SwitchParameter AllowEmptyPassword { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var emptyPassword = false;
            try
            {
                emptyPassword = AccountService.CheckEmptyPassword(Password, AllowEmptyPassword, Describe(User, HostName));
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                ThrowFailure(error, User);
            }

            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(User, HostName, "change the password of");
                if (ConfirmUnlessForced(Force, Describe(User, HostName), "Change the password", null) == ConfirmOutcome.Proceed)
                {
                    if (emptyPassword)
                    {
                        WriteWarning($"{Describe(User, HostName)} gets an empty password: anyone who can reach the server can log in as it.");
                    }

                    service.SetPassword(User, HostName, Password);
                }
            });
        }
    }
}
