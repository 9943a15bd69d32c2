using System.Collections.Generic;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Reporting
{
    /// <summary>The published requirements a check follows (benchmarks, Security Hub controls, the Aurora MySQL User Guide's security chapter).</summary>
    internal static class CheckReferences
    {
        public static IReadOnlyList<string> Of(SecurityCheck check) => new string[0];
    }
}
