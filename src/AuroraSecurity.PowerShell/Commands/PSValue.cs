using System.Management.Automation;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>What a value from PowerShell (a parameter, a pipeline object, a hashtable entry) is underneath its PSObject wrapper.</summary>
    internal static class PSValue
    {
        public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
