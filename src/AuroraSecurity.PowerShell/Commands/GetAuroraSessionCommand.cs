using System.Management.Automation;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Lists sessions from information_schema.PROCESSLIST, selected like pt-kill selects them.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraSession", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(SessionInfo))]
    public sealed class GetAuroraSessionCommand : SqlCmdlet
    {
        /// <summary>Wildcard patterns the session's user must match, as Get-AuroraDbUser takes them (whole name, case-insensitive).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? User { get; set; }

        /// <summary>A regular expression the session's user must match (case-sensitive, unanchored, as pt-kill's --match-user).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UserPattern { get; set; }

        /// <summary>Wildcard patterns the session's client host (address:port) must match, case-insensitive.</summary>
        [Parameter]
        [Alias("Host")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? HostName { get; set; }

        /// <summary>A regular expression the session's client host must match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HostPattern { get; set; }

        /// <summary>Regular expression the session's default database must match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Database { get; set; }

        /// <summary>Regular expression the session's command must match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Command { get; set; }

        /// <summary>Regular expression the session's state must match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? State { get; set; }

        /// <summary>Regular expression the session's statement text must match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Info { get; set; }

        /// <summary>Leaves out sessions whose user matches one of these wildcard patterns.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? ExcludeUser { get; set; }

        /// <summary>Leaves out sessions whose user matches this regular expression.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeUserPattern { get; set; }

        /// <summary>Leaves out sessions whose client host matches one of these wildcard patterns.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[]? ExcludeHost { get; set; }

        /// <summary>Leaves out sessions whose client host matches this regular expression.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeHostPattern { get; set; }

        /// <summary>Leaves out sessions whose database matches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeDatabase { get; set; }

        /// <summary>Leaves out sessions whose command matches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeCommand { get; set; }

        /// <summary>Leaves out sessions whose state matches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeState { get; set; }

        /// <summary>Leaves out sessions whose statement text matches.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExcludeInfo { get; set; }

        /// <summary>Sessions busy (in a -BusyCommand) for at least this many seconds.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? MinimumSeconds { get; set; }

        /// <summary>The commands -MinimumSeconds applies to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] BusyCommand { get; set; } = { "Query" };

        /// <summary>Sleep sessions idle for at least this many seconds.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? IdleSeconds { get; set; }

        /// <summary>Keeps sessions of reserved accounts such as rdsadmin.</summary>
        [Parameter]
        public SwitchParameter IncludeReserved { get; set; }

        /// <summary>Keeps the server's own threads.</summary>
        [Parameter]
        public SwitchParameter IncludeSystemThread { get; set; }

        /// <summary>Keeps replication threads.</summary>
        [Parameter]
        public SwitchParameter IncludeReplication { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var filter = new SessionFilter
            {
                UserLike = User,
                UserPattern = UserPattern,
                HostLike = HostName,
                HostPattern = HostPattern,
                Database = Database,
                Command = Command,
                State = State,
                Info = Info,
                ExcludeUserLike = ExcludeUser,
                ExcludeUserPattern = ExcludeUserPattern,
                ExcludeHostLike = ExcludeHost,
                ExcludeHostPattern = ExcludeHostPattern,
                ExcludeDatabase = ExcludeDatabase,
                ExcludeCommand = ExcludeCommand,
                ExcludeState = ExcludeState,
                ExcludeInfo = ExcludeInfo,
                MinimumSeconds = MinimumSeconds,
                BusyCommands = BusyCommand,
                IdleSeconds = IdleSeconds,
                IncludeReserved = IncludeReserved,
                IncludeSystemThreads = IncludeSystemThread,
                IncludeReplication = IncludeReplication,
            };

            try
            {
                filter.Compile();
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                ThrowFailure(error, null);
                return;
            }

            try
            {
                var session = GetSession();
                var sessions = Await(SessionLister.ListAsync(session, filter, CancellationToken));
                WriteVerbose($"{sessions.Count} session(s) selected on {session}; the command's own connection ({session.ConnectionId}) is never listed.");
                foreach (var listed in sessions)
                {
                    WriteObject(listed);
                }
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Session ?? (object?)Endpoint);
            }
        }
    }
}
