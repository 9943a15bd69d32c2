using System.Management.Automation;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// The base of every SQL cmdlet: it runs on a session from Connect-AuroraMySql (-Session), or opens its own from
    /// Connect-AuroraMySql's connection parameters (a password, IAM authentication or a connection string) and closes it
    /// when the cmdlet ends.
    /// </summary>
    public abstract class SqlCmdlet : SqlConnectionCmdlet
    {
        /// <summary>The parameter set for a session from Connect-AuroraMySql.</summary>
        protected const string SessionSet = "Session";

        private AuroraSqlSession? ownSession;

        /// <summary>A session from Connect-AuroraMySql.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionSet)]
        public AuroraSqlSession? Session { get; set; }

        /// <summary>The session to run on: the given one, or one opened (once) from the connection parameters.</summary>
        protected AuroraSqlSession GetSession()
        {
            if (Session != null)
            {
                if (!Session.IsOpen)
                {
                    throw new AuroraSecurityException("SqlSessionClosed", FailureKind.InvalidOperation, $"The session {Session} is closed. Open a new one with Connect-AuroraMySql.");
                }

                return Session;
            }

            if (ownSession == null)
            {
                ownSession = OpenConnection(ConnectionOptions());
            }

            return ownSession;
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            CloseOwnSession();
            base.EndProcessing();
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            base.StopProcessing();
            CloseOwnSession();
        }

        private void CloseOwnSession()
        {
            ownSession?.Dispose();
            ownSession = null;
        }
    }
}
