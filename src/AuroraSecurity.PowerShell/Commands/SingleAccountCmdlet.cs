using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>An account cmdlet that acts on one account per pipeline item, named first on the command line.</summary>
    public abstract class SingleAccountCmdlet : AccountCmdlet
    {
        /// <summary>The user name; binds User from Get-AuroraDbUser and Test-AuroraUserSsl output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string User { get; set; } = string.Empty;

        /// <summary>The host pattern; binds Host by property name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [AllowEmptyString]
        public string HostName { get; set; } = "%";
    }
}
