namespace AuroraSecurity.Clusters
{
    /// <summary>What a change cmdlet did to a cluster, as proven by reading it back from RDS.</summary>
    public enum ChangeOutcome
    {
        /// <summary>Sent, accepted, and the read-back shows the requested value in effect.</summary>
        Applied,

        /// <summary>Sent and accepted, but not in effect yet: a pending modification, a static parameter or a new group waiting for instance reboots, or a read-back that cannot confirm it.</summary>
        Pending,

        /// <summary>The value already held; no request was sent.</summary>
        Unchanged,

        /// <summary>-WhatIf: the change was described, nothing was sent.</summary>
        WhatIf,
    }
}
