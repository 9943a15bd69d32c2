namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>One session Invoke-RdsKill was asked to end, and what happened.</summary>
    public sealed class KillResult
    {
        /// <summary>Creates the result.</summary>
        public KillResult(long id, string? user, string? host, KillAction action, KillOutcome result, string? reason)
        {
            Id = id;
            User = user;
            Host = host;
            Action = action;
            Result = result;
            Reason = reason;
        }

        /// <summary>The session's id.</summary>
        public long Id { get; }

        /// <summary>The session's user, when known.</summary>
        public string? User { get; }

        /// <summary>The session's client host, when known.</summary>
        public string? Host { get; }

        /// <summary>Connection (rds_kill) or Query (rds_kill_query).</summary>
        public KillAction Action { get; }

        /// <summary>Killed, AlreadyGone, Failed, Refused, WhatIf or Declined.</summary>
        public KillOutcome Result { get; }

        /// <summary>Why, when the session was not killed.</summary>
        public string? Reason { get; }
    }
}
