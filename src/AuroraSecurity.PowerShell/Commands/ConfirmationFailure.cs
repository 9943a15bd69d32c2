using System;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>The failure of a change that needs a second confirmation the host cannot ask for (pwsh -NonInteractive, a job).</summary>
    internal static class ConfirmationFailure
    {
        /// <summary><paramref name="change"/> reaches beyond <paramref name="named"/>; nothing was sent, and -Force is the way on.</summary>
        public static AuroraSecurityException Needed(string change, string named, Exception inner) =>
            new AuroraSecurityException("ConfirmationNeeded", FailureKind.InvalidOperation,
                $"{change}. This reaches beyond {named} and needs confirmation, which this host cannot ask for; nothing was sent. Add -Force to go ahead.", inner);
    }
}
