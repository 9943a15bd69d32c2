namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>What became of one session that Invoke-RdsKill was asked to end.</summary>
    public enum KillOutcome
    {
        /// <summary>The server ended the connection or statement.</summary>
        Killed,

        /// <summary>The session had already ended (error 1094, unknown thread id).</summary>
        AlreadyGone,

        /// <summary>The server answered with another error; the reason says which.</summary>
        Failed,

        /// <summary>Not sent: the caller's own connection or a reserved account's session.</summary>
        Refused,

        /// <summary>Not sent: -WhatIf.</summary>
        WhatIf,

        /// <summary>Not sent: the user answered No when asked to confirm.</summary>
        Declined,
    }
}
