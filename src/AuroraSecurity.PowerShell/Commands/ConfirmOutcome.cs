namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>The answer to "may this change be made?".</summary>
    public enum ConfirmOutcome
    {
        /// <summary>Go ahead.</summary>
        Proceed,

        /// <summary>-WhatIf: PowerShell wrote its "What if:" line; nothing is done.</summary>
        WhatIf,

        /// <summary>The user said no.</summary>
        Declined,

        /// <summary>A confirmation was needed and the host cannot ask; an error saying to add -Force was written.</summary>
        CannotAsk,
    }
}
