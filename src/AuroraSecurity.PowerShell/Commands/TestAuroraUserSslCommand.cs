using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists every account with its TLS requirement and whether it complies (requires TLS, or is reserved or a role).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "AuroraUserSsl", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(UserSslStatus))]
    public sealed class TestAuroraUserSslCommand : AccountCmdlet
    {
        /// <summary>User names to include, as wildcard patterns; all accounts by default.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[]? User { get; set; }

        /// <summary>The cluster's master user name (the RDS MasterUsername); 'admin' unless the cluster was created with another.</summary>
        [Parameter]
        [Alias("MasterUsername")]
        [ValidateNotNullOrEmpty]
        public string MasterUser { get; set; } = "admin";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var patterns = Patterns(User);
            try
            {
                // Rows are written as the server sends them, so memory stays flat however many accounts there are.
                foreach (var account in GetAccountService().ReadUsers(CancellationToken))
                {
                    if (Matches(patterns, account.User))
                    {
                        WriteObject(new UserSslStatus(account, MasterUser));
                    }
                }
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                ThrowFailure(error, Session);
            }
        }
    }
}
