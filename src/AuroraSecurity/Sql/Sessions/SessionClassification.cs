using System;
using System.Collections.Generic;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>Recognises the server's own threads and replication threads in the process list.</summary>
    public static class SessionClassification
    {
        private static readonly HashSet<string> SystemUsers = new HashSet<string>(StringComparer.Ordinal)
        {
            "system user",
            "event_scheduler",
        };

        private static readonly HashSet<string> SystemCommands = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Daemon",
        };

        private static readonly HashSet<string> ReplicationCommands = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Binlog Dump",
            "Binlog Dump GTID",
            "Register Slave",
            "Register Replica",
            "Slave_IO",
            "Slave_SQL",
            "Slave_worker",
            "Replica_IO",
            "Replica_SQL",
            "Replica_worker",
        };

        /// <summary>A thread of the server itself: NULL user, 'system user', 'event_scheduler' or a Daemon command.</summary>
        public static bool IsSystemThread(SessionInfo session)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            return session.User == null
                || SystemUsers.Contains(session.User!)
                || (session.Command != null && SystemCommands.Contains(session.Command));
        }

        /// <summary>A replica reading the binary log (Binlog Dump) or a replication applier thread.</summary>
        public static bool IsReplication(SessionInfo session)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            return session.Command != null && ReplicationCommands.Contains(session.Command);
        }
    }
}
