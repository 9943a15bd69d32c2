using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Creates an account with a password or for IAM database authentication, requiring TLS unless told otherwise.</summary>
    [Cmdlet(VerbsCommon.New, "AuroraDbUser", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DbUser))]
    public sealed class NewAuroraDbUserCommand : AccountCmdlet
    {
        /// <summary>The user name; taken from -UserCredential when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? User { get; set; }

        /// <summary>The host pattern.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [AllowEmptyString]
        public string HostName { get; set; } = "%";

        /// <summary>The new account's name and password.</summary>
        [Parameter]
        [Credential]
        public PSCredential? UserCredential { get; set; }

        /// <summary>
        /// Creates an IAM database user (IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS') instead of a password account.
        /// (-IamAuthentication is how this cmdlet itself logs in, as on every SQL cmdlet.)
        /// </summary>
        [Parameter]
        public SwitchParameter IamDatabaseUser { get; set; }

        /// <summary>Leaves out REQUIRE SSL.</summary>
        [Parameter]
        public SwitchParameter NoRequireSsl { get; set; }

        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Allows an empty password in -UserCredential (with a warning); refused otherwise.</summary>
        [Parameter]
        public SwitchParameter AllowEmptyPassword { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var credential = UserCredential == PSCredential.Empty ? null : UserCredential;
            var user = User ?? credential?.UserName ?? string.Empty;
            if (credential != null && IamDatabaseUser)
            {
                ThrowFailure(new AuroraSecurityException("AccountAuthenticationAmbiguous", FailureKind.InvalidArgument, "Pass either -UserCredential (a password account) or -IamDatabaseUser, not both."), null);
            }

            if (credential == null && !IamDatabaseUser)
            {
                ThrowFailure(new AuroraSecurityException("AccountAuthenticationMissing", FailureKind.InvalidArgument, "Pass -UserCredential (Get-Credential) for a password account, or -User with -IamDatabaseUser for an IAM database user."), null);
            }

            if (credential != null && User != null && !string.Equals(User, credential.UserName, System.StringComparison.Ordinal))
            {
                ThrowFailure(new AuroraSecurityException("AccountUserMismatch", FailureKind.InvalidArgument, $"-User '{User}' differs from the user name in -UserCredential; pass one of them, or the same name in both."), null);
            }

            var emptyPassword = false;
            try
            {
                emptyPassword = AccountService.CheckEmptyPassword(credential?.Password, AllowEmptyPassword, Describe(user, HostName));
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                ThrowFailure(error, user);
            }

            ForAccount(user, HostName, () =>
            {
                var service = GetAccountService();
                service.EnsureChangeable(user, HostName, "create");
                var how = IamDatabaseUser ? "IAM database authentication" : "a password";
                var tls = NoRequireSsl ? "without REQUIRE SSL" : "REQUIRE SSL";
                if (ConfirmUnlessForced(Force, Describe(user, HostName), $"Create the account with {how}, {tls}", null) == ConfirmOutcome.Proceed)
                {
                    if (emptyPassword)
                    {
                        WriteWarning($"{Describe(user, HostName)} gets an empty password: anyone who can reach the server can log in as it.");
                    }

                    service.CreateUser(user, HostName, IamDatabaseUser ? null : credential!.Password, requireSsl: !NoRequireSsl);
                    var created = service.FindUser(user, HostName);
                    if (created != null)
                    {
                        WriteObject(created);
                    }
                }
            });
        }
    }
}
