using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>Reads information_schema.PROCESSLIST on a SQL session.</summary>
    public static class SessionLister
    {
        // Only the eight columns MySQL 8.0 (Aurora MySQL 3) has; MariaDB adds ten more that Aurora lacks.
        internal const string ProcessListQuery = "SELECT ID, USER, HOST, DB, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST";

        /// <summary>The sessions the filter selects, never the lister's own connection.</summary>
        public static async Task<IReadOnlyList<SessionInfo>> ListAsync(AuroraSqlSession session, SessionFilter filter, CancellationToken cancellationToken = default)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            if (filter is null) throw new ArgumentNullException(nameof(filter));
            var rows = await ReadAsync(session, ProcessListQuery, cancellationToken).ConfigureAwait(false);
            return Select(rows, session, filter);
        }

        /// <summary>The rows of a process list read on <paramref name="session"/> that the filter selects, never the session's own connection.</summary>
        internal static IReadOnlyList<SessionInfo> Select(IEnumerable<SessionInfo> rows, AuroraSqlSession session, SessionFilter filter)
        {
            var selects = filter.Compile();
            return rows.Where(row => row.Id != session.ConnectionId && selects(row)).ToList();
        }

        /// <summary>The rows for the given ids that are still in the process list, by id.</summary>
        public static async Task<IReadOnlyDictionary<long, SessionInfo>> LookupAsync(AuroraSqlSession session, IEnumerable<long> ids, CancellationToken cancellationToken = default)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            var wanted = ids.Distinct().ToList();
            var found = new Dictionary<long, SessionInfo>();
            if (wanted.Count == 0)
            {
                return found;
            }

            var list = string.Join(", ", wanted.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            foreach (var row in await ReadAsync(session, ProcessListQuery + " WHERE ID IN (" + list + ")", cancellationToken).ConfigureAwait(false))
            {
                found[row.Id] = row;
            }

            return found;
        }

        // Reads everything before returning, so a caller can hand the rows down a pipeline that reuses the connection.
        private static async Task<List<SessionInfo>> ReadAsync(AuroraSqlSession session, string sql, CancellationToken cancellationToken)
        {
            var rows = new List<SessionInfo>();
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = sql;
                    using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            rows.Add(ReadRow(session, reader));
                        }
                    }
                }
            }
            catch (MySqlException error)
            {
                throw SqlErrorTranslator.TranslateStatement(error, session, "Reading information_schema.PROCESSLIST");
            }

            return rows;
        }

        /// <summary>One row of <see cref="ProcessListQuery"/> or SHOW FULL PROCESSLIST (the same first eight columns), tied to the session it was read on.</summary>
        internal static SessionInfo ReadRow(AuroraSqlSession session, MySqlDataReader reader) =>
            new SessionInfo(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                Text(reader, 1),
                Text(reader, 2),
                Text(reader, 3),
                Text(reader, 4),
                reader.IsDBNull(5) ? 0 : Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture),
                Text(reader, 6),
                Text(reader, 7))
            {
                Endpoint = session.Endpoint,
                Port = session.Port,
                SourceConnectionId = session.ConnectionId,
                Source = session,
            };

        private static string? Text(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }
}
