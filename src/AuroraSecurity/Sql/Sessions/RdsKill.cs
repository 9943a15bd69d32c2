using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

        /// <summary>
        /// Plans ending sessions by id: the user behind each id is read once for all of them, so reserved accounts and this
        /// connection itself are refused before anything is asked or sent. Ids repeat only once.
        /// </summary>
        public static async Task<IReadOnlyList<KillPlan>> PlanAsync(AuroraSqlSession connection, IEnumerable<long> ids, KillAction action, CancellationToken cancellationToken = default)
        {
            if (connection is null) throw new ArgumentNullException(nameof(connection));
            var wanted = (ids ?? throw new ArgumentNullException(nameof(ids))).Distinct().ToList();
            var others = wanted.Where(id => id != connection.ConnectionId).ToList();
            var known = others.Count == 0
                ? new Dictionary<long, SessionInfo>()
                : await SessionLister.LookupAsync(connection, others, cancellationToken).ConfigureAwait(false);
            return wanted.Select(id =>
            {
                known.TryGetValue(id, out var row);
                return new KillPlan(id, row?.User, row?.Host, action, ServerOf(connection), RefusalReason(connection, id, row?.User));
            }).ToList();
        }

        /// <summary>Plans ending a session Get-AuroraSession listed; an id listed on another server is refused (ids differ between servers).</summary>
        public static KillPlan Plan(AuroraSqlSession connection, SessionInfo listed, KillAction action)
        {
            if (connection is null) throw new ArgumentNullException(nameof(connection));
            if (listed is null) throw new ArgumentNullException(nameof(listed));
            var elsewhere = string.Equals(listed.Endpoint, connection.Endpoint, StringComparison.OrdinalIgnoreCase) && listed.Port == connection.Port
                ? null
                : $"Session {listed.Id} was listed on {listed.Endpoint}:{listed.Port}, not on {ServerOf(connection)} where the kill would run; ids differ between servers. No SQL was sent.";
            return new KillPlan(listed.Id, listed.User, listed.Host, action, ServerOf(connection),
                elsewhere ?? RefusalReason(connection, listed.Id, listed.User, listed.SourceConnectionId));
        }

        /// <summary>Carries out a plan that was not refused; the server's answer becomes the result.</summary>
        public static async Task<KillResult> ApplyAsync(AuroraSqlSession connection, KillPlan plan, CancellationToken cancellationToken = default)
        {
            if (plan is null) throw new ArgumentNullException(nameof(plan));
            if (plan.Refusal != null) throw new InvalidOperationException("A refused kill plan cannot be applied: " + plan.Refusal);
            return await KillAsync(connection, plan.Id, plan.User, plan.Host, plan.Action, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>A kill the server refused, as the failure the caller reports beside the result.</summary>
        public static AuroraSecurityException Failure(KillResult result) =>
            new AuroraSecurityException("RdsKillFailed", FailureKind.ServiceError, (result ?? throw new ArgumentNullException(nameof(result))).Reason ?? "rds_kill failed.");

        private static string ServerOf(AuroraSqlSession connection) => $"{connection.Endpoint}:{connection.Port}";

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
