namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>One row of information_schema.PROCESSLIST, and the SQL session it was listed on.</summary>
    public sealed class SessionInfo
    {
        internal SessionInfo(long id, string? user, string? host, string? database, string? command, long timeSeconds, string? state, string? info)
        {
            Id = id;
            User = user;
            Host = host;
            ClientAddress = ClientAddressOf(host);
            Database = database;
            Command = command;
            TimeSeconds = timeSeconds;
            State = state;
            Info = info;
        }

        /// <summary>The server's id for the connection (PROCESSLIST ID), which rds_kill takes.</summary>
        public long Id { get; }

        /// <summary>The database user (PROCESSLIST USER); null for some server threads.</summary>
        public string? User { get; }

        /// <summary>The client as the server reports it, "address:port" over TCP, "localhost" over the socket.</summary>
        public string? Host { get; }

        /// <summary>The client without its port, so sessions from one machine group together.</summary>
        public string? ClientAddress { get; }

        /// <summary>The default database (PROCESSLIST DB), null when none is selected.</summary>
        public string? Database { get; }

        /// <summary>What the connection is doing: Sleep, Query, Connect, Binlog Dump, Daemon…</summary>
        public string? Command { get; }

        /// <summary>Seconds in the current command: busy time for Query, idle time for Sleep.</summary>
        public long TimeSeconds { get; }

        /// <summary>The statement's state, if any.</summary>
        public string? State { get; }

        /// <summary>The statement text, if any.</summary>
        public string? Info { get; }

        /// <summary>The endpoint of the SQL session the row was listed on.</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>The port of the SQL session the row was listed on.</summary>
        public int Port { get; internal set; }

        /// <summary>The connection id of the SQL session the row was listed on (the lister's own connection).</summary>
        public long SourceConnectionId { get; internal set; }

        /// <summary>The session the row was listed on; a kill reuses it, so a Get | Kill pipeline needs no second connection.</summary>
        internal AuroraSqlSession? Source { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Id} {User}@{Host}";

        /// <summary>"10.0.0.5:51234" → "10.0.0.5"; "localhost" and other port-less values stay as they are.</summary>
        internal static string? ClientAddressOf(string? host)
        {
            if (string.IsNullOrEmpty(host))
            {
                return host;
            }

            var colon = host!.LastIndexOf(':');
            if (colon <= 0 || colon == host.Length - 1)
            {
                return host;
            }

            for (var i = colon + 1; i < host.Length; i++)
            {
                if (host[i] < '0' || host[i] > '9')
                {
                    return host;
                }
            }

            var address = host.Substring(0, colon);

            // "::1" has no port: what is left would end in ':' or be empty.
            return address.EndsWith(":", System.StringComparison.Ordinal) ? host : address.TrimStart('[').TrimEnd(']');
        }
    }
}
