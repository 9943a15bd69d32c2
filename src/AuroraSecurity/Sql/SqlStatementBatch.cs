using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// Several read-only statements sent in one round trip, each result set handed to its own row reader; a server error is
    /// translated by the statement it belongs to, and the statements after it are not run (the server stops the batch there).
    /// </summary>
    internal sealed class SqlStatementBatch
    {
        private readonly List<(string Sql, Action<MySqlDataReader> Row, Func<MySqlException, Exception> Translate)> statements =
            new List<(string, Action<MySqlDataReader>, Func<MySqlException, Exception>)>();

        /// <summary>Adds a statement (without a trailing semicolon), what to do with each of its rows and how to explain its failure.</summary>
        public SqlStatementBatch Add(string sql, Action<MySqlDataReader> row, Func<MySqlException, Exception> translate)
        {
            if (string.IsNullOrWhiteSpace(sql)) throw new ArgumentException("A statement is required.", nameof(sql));
            statements.Add((sql.TrimEnd().TrimEnd(';'), row ?? throw new ArgumentNullException(nameof(row)), translate ?? throw new ArgumentNullException(nameof(translate))));
            return this;
        }

        /// <summary>The text sent to the server.</summary>
        public string CommandText => string.Join("; ", statements.Select(s => s.Sql));

        /// <summary>
        /// Runs the batch and reads every result to the end. Cancellation is checked before and after the round trip only, so a
        /// stop never makes the driver open a second connection to kill the statement in flight.
        /// </summary>
        public async Task RunAsync(AuroraSqlSession session, CancellationToken cancellationToken)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            if (statements.Count == 0) return;
            cancellationToken.ThrowIfCancellationRequested();
            var current = 0;
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = CommandText;
                    using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        while (true)
                        {
                            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                            {
                                statements[current].Row(reader);
                            }

                            if (++current == statements.Count) break;
                            if (!await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
                            {
                                throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "The server answered {0} of {1} statements sent together.", current, statements.Count));
                            }
                        }
                    }
                }
            }
            catch (MySqlException error)
            {
                throw statements[Math.Min(current, statements.Count - 1)].Translate(error);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
