using System;
using System.Text.RegularExpressions;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Spots pipeline objects that PowerShell turned into a cluster name only by calling ToString() (no identifier property).</summary>
    internal static class PipelineInputName
    {
        // What ToString() gives for objects without a name of their own: a .NET type name (System.Collections.Hashtable,
        // System.Object[], @{...} for PSCustomObject).
        private static readonly Regex TypeName = new Regex(@"^(System|Microsoft|AuroraSecurity|Amazon)(\.[A-Za-z_][A-Za-z0-9_`]*)+(\[\])?$", RegexOptions.CultureInvariant);

        public static bool IsUnnamedObject(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return false;
            var text = name!.Trim();
            return TypeName.IsMatch(text) || (text.StartsWith("@{", StringComparison.Ordinal) && text.EndsWith("}", StringComparison.Ordinal));
        }

        public static AuroraSecurityException NoIdentifier(string name) =>
            new AuroraSecurityException("PipelineObjectWithoutClusterIdentifier", FailureKind.InvalidArgument,
                $"A pipeline object ({EchoedInput.Shorten(name, 60)}) has no ClusterIdentifier, DBClusterIdentifier or DBClusterArn property, so it names no cluster; nothing was done for it. " +
                "Pipe cluster objects (Get-AuroraCluster, Get-RDSDBCluster) or strings, or select the identifier first, e.g. ForEach-Object { $_.Name }.");
    }
}
