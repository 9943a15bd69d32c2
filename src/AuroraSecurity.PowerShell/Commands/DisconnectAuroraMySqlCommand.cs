using System.Management.Automation;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Closes a SQL session opened by Connect-AuroraMySql.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "AuroraMySql")]
    [OutputType(typeof(void))]
    public sealed class DisconnectAuroraMySqlCommand : AuroraCmdlet
    {
        /// <summary>The session to close.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public AuroraSqlSession Session { get; set; } = null!;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            WriteVerbose($"Closing the session {Session}.");
            Session.Dispose();
        }
    }
}
