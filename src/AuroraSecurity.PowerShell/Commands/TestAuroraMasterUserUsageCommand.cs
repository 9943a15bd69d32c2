using System.Management.Automation;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Shows which client hosts use the master user, which the Aurora MySQL User Guide's security chapter advises applications not to do.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "AuroraMasterUserUsage", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(MasterUserUsage))]
    public sealed class TestAuroraMasterUserUsageCommand : SqlCmdlet
    {
        /// <summary>The cluster's master user name (DescribeDBClusters' MasterUsername).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MasterUsername")]
        [ValidateNotNullOrEmpty]
        public string MasterUser { get; set; } = "admin";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                var session = GetSession();
                var filter = new SessionFilter { UserPattern = "^" + System.Text.RegularExpressions.Regex.Escape(MasterUser) + "$" };
                var sessions = Await(SessionLister.ListAsync(session, filter, CancellationToken));
                var usage = MasterUserUsage.Summarize(sessions, MasterUser);
                WriteVerbose($"{sessions.Count} session(s) of the master user '{MasterUser}' on {session}, not counting this command's own connection, from {usage.Count} host(s).");
                foreach (var host in usage)
                {
                    WriteObject(host);
                }
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, MasterUser);
            }
        }
    }
}
