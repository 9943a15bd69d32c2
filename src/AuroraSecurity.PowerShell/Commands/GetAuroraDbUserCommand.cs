using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists database accounts and roles: host, authentication plugin, TLS requirement.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraDbUser", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(DbUser))]
    public sealed class GetAuroraDbUserCommand : AccountCmdlet
    {
        /// <summary>User names to include, as wildcard patterns.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[]? User { get; set; }

        /// <summary>Hosts to include, as wildcard patterns (a literal '%' host is matched by '%' or '*').</summary>
        [Parameter]
        [Alias("Host")]
        [SupportsWildcards]
        public string[]? HostName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var users = Patterns(User);
            var hosts = Patterns(HostName);
            try
            {
                foreach (var account in GetAccountService().ReadUsers(CancellationToken))
                {
                    if (Matches(users, account.User) && Matches(hosts, account.Host))
                    {
                        WriteObject(account);
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
