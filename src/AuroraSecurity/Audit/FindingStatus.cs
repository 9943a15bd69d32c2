namespace AuroraSecurity.Audit
{
    /// <summary>The outcome of one check on one cluster.</summary>
    public enum FindingStatus
    {
        /// <summary>The cluster meets the check.</summary>
        Pass,

        /// <summary>The cluster does not meet the check.</summary>
        Fail,

        /// <summary>Not a failure, but worth a look (a limitation of the engine, a change waiting for a reboot, a certificate close to expiry).</summary>
        Warning,

        /// <summary>The check does not apply to this cluster (for example an engine version without the setting).</summary>
        NotApplicable,

        /// <summary>The check could not be evaluated; the reason says why.</summary>
        Error,

        /// <summary>A baseline suppression sets the finding aside until it expires; the real status is in SuppressedStatus.</summary>
        Suppressed,
    }

    /// <summary>How much a failed check matters.</summary>
    public enum FindingSeverity
    {
        /// <summary>Data or credentials can be exposed.</summary>
        High,

        /// <summary>Weakens protection that is otherwise in place.</summary>
        Medium,

        /// <summary>Hardening or good practice.</summary>
        Low,
    }
}
