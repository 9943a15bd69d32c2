namespace AuroraSecurity.Clusters
{
    /// <summary>What a change cmdlet did to a cluster: changed it, found the value already in place, or only described the change (-WhatIf).</summary>
    public enum ChangeOutcome
    {
        /// <summary>The change was sent to RDS and accepted.</summary>
        Applied,

        /// <summary>The value already held; no request was sent.</summary>
        Unchanged,

        /// <summary>-WhatIf: the change was described, nothing was sent.</summary>
        WhatIf,
    }
}
