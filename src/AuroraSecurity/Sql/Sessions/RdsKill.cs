using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>Ends sessions the Aurora way, CALL mysql.rds_kill / mysql.rds_kill_query, after refusing what must not be ended.</summary>
    public static class RdsKill
    {
        /// <summary>Why the session must not be ended from this connection, or null when it may be; decided without SQL.</summary>
        public static string? RefusalReason(AuroraSqlSession connection, long id, string? user, long? listedOnConnectionId = null)
        {
            if (connection is null) throw new ArgumentNullException(nameof(connection));
            if (id == connection.ConnectionId || (listedOnConnectionId.HasValue && id == listedOnConnectionId.Value))
            {
                return $"Session {id} is this command's own connection to {connection.Endpoint}; ending it would cut off the kill itself. No SQL was sent.";
            }

            var reserved = user == null ? null : ReservedAccounts.ReasonFor(user);
            return reserved == null ? null : $"Session {id} belongs to the reserved account '{user}': {reserved} No SQL was sent.";
        }

        /// <summary>The statement that ends the session.</summary>
        public static string StatementFor(long id, KillAction action) =>
            (action == KillAction.Query ? "CALL mysql.rds_kill_query(" : "CALL mysql.rds_kill(") + id.ToString(CultureInfo.InvariantCulture) + ")";

        /// <summary>Sends the kill; the server's answer becomes Killed, AlreadyGone (1094) or Failed with a reason.</summary>
        public static async Task<KillResult> KillAsync(AuroraSqlSession connection, long id, string? user, string? host, KillAction action, CancellationToken cancellationToken = default)
        {
            if (connection is null) throw new ArgumentNullException(nameof(connection));
            try
            {
                using (var command = connection.Connection.CreateCommand())
                {
                    command.CommandText = StatementFor(id, action);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return new KillResult(id, user, host, action, KillOutcome.Killed, null);
            }
            catch (MySqlException error) when (error.Number == SqlErrorTranslator.UnknownThread)
            {
                return new KillResult(id, user, host, action, KillOutcome.AlreadyGone, $"Session {id} had already ended (error 1094, unknown thread id).");
            }
            catch (MySqlException error) when (!cancellationToken.IsCancellationRequested)
            {
                return new KillResult(id, user, host, action, KillOutcome.Failed, SqlErrorTranslator.DescribeKillFailure(error, id, action == KillAction.Query ? "mysql.rds_kill_query" : "mysql.rds_kill"));
            }
            catch (InvalidOperationException) when (!connection.IsOpen)
            {
                return new KillResult(id, user, host, action, KillOutcome.Failed, $"The connection to {connection.Endpoint}:{connection.Port} is closed; session {id} was not ended. Open a new session with Connect-AuroraMySql.");
            }
        }
    }
}
