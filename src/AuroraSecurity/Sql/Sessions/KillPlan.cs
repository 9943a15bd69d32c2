namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>
    /// What ending one session would do, decided before anything is asked or sent: the session and its account as the
    /// server listed them, the statement, or why nothing may be sent (<see cref="Refusal"/>).
    /// </summary>
    public sealed class KillPlan
    {
        internal KillPlan(long id, string? user, string? host, KillAction action, string server, string? refusal)
        {
            Id = id;
            User = user;
            Host = host;
            Action = action;
            Server = server;
            Refusal = refusal;
        }

        /// <summary>The session's id.</summary>
        public long Id { get; }

        /// <summary>The session's user, when the server listed it.</summary>
        public string? User { get; }

        /// <summary>The session's client host, when the server listed it.</summary>
        public string? Host { get; }

        /// <summary>Connection (rds_kill) or Query (rds_kill_query).</summary>
        public KillAction Action { get; }

        /// <summary>endpoint:port of the server the kill runs on.</summary>
        public string Server { get; }

        /// <summary>Why this session must not be ended from here, or null when it may be.</summary>
        public string? Refusal { get; }

        /// <summary>The session, in the words ShouldProcess shows.</summary>
        public string Target => $"Session {Id}" + (User == null ? string.Empty : $" ({User}@{Host})") + $" on {Server}";

        /// <summary>The action, in the words ShouldProcess shows.</summary>
        public string Operation => Action == KillAction.Query ? "End the running statement (CALL mysql.rds_kill_query)" : "End the connection (CALL mysql.rds_kill)";

        /// <summary>The statement the kill sends.</summary>
        public string Statement => RdsKill.StatementFor(Id, Action);

        /// <summary>The result when nothing is sent: refused, declined or -WhatIf.</summary>
        public KillResult NotSent(KillOutcome outcome) => new KillResult(Id, User, Host, Action, outcome, outcome switch
        {
            KillOutcome.Refused => Refusal,
            KillOutcome.WhatIf => "-WhatIf: nothing was sent.",
            _ => "Not confirmed: nothing was sent.",
        });
    }
}
