using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>The master user's sessions from one client host: an application that should have an account of its own.</summary>
    public sealed class MasterUserUsage
    {
        /// <summary>The master user.</summary>
        public string MasterUser { get; private set; } = string.Empty;

        /// <summary>The client address, without the port.</summary>
        public string Host { get; private set; } = string.Empty;

        /// <summary>How many sessions the master user has open from that host.</summary>
        public int SessionCount { get; private set; }

        /// <summary>The default databases those sessions use.</summary>
        public string[] Databases { get; private set; } = Array.Empty<string>();

        /// <summary>What those sessions are doing (Sleep, Query…).</summary>
        public string[] Commands { get; private set; } = Array.Empty<string>();

        /// <summary>The longest time any of them has spent in its current command, in seconds.</summary>
        public long OldestSeconds { get; private set; }

        /// <summary>The endpoint the sessions were listed on.</summary>
        public string Endpoint { get; private set; } = string.Empty;

        /// <summary>Groups the master user's sessions by client host, busiest host first.</summary>
        public static IReadOnlyList<MasterUserUsage> Summarize(IEnumerable<SessionInfo> sessions, string masterUser)
        {
            if (sessions is null) throw new ArgumentNullException(nameof(sessions));
            return sessions
                .Where(s => string.Equals(s.User, masterUser, StringComparison.Ordinal))
                .GroupBy(s => s.ClientAddress ?? string.Empty, StringComparer.Ordinal)
                .Select(group => new MasterUserUsage
                {
                    MasterUser = masterUser,
                    Host = group.Key,
                    SessionCount = group.Count(),
                    Databases = Distinct(group.Select(s => s.Database)),
                    Commands = Distinct(group.Select(s => s.Command)),
                    OldestSeconds = group.Max(s => s.TimeSeconds),
                    Endpoint = group.First().Endpoint,
                })
                .OrderByDescending(u => u.SessionCount)
                .ThenBy(u => u.Host, StringComparer.Ordinal)
                .ToList();
        }

        private static string[] Distinct(IEnumerable<string?> values) =>
            values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToArray();
    }
}
