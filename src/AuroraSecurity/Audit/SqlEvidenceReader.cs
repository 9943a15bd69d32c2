using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.Audit
{
    /// <summary>Reads <see cref="SqlEvidence"/> over one connection through the module's connection factory and SQL services; knows nothing of checks.</summary>
    public static class SqlEvidenceReader
    {
        /// <summary>Connects with <paramref name="options"/> (TLS as given, VerifyFull by default), reads in one round trip after the login, and closes the connection.</summary>
        public static async Task<SqlEvidence> ReadAsync(SqlConnectionOptions options, string? masterUser, CancellationToken cancellationToken)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            using (var session = await AuroraConnectionFactory.OpenAsync(options, cancellationToken).ConfigureAwait(false))
            {
                var users = new List<DbUser>();
                var privileges = new List<GlobalPrivilege>();
                var variables = new ServerTlsVariables();
                var sessions = new List<SessionInfo>();
                var account = session.ToString();

                // The evidence in one round trip. The process list is read once, with SHOW FULL PROCESSLIST: the same eight
                // columns first (MariaDB adds Progress after them), without building information_schema's table, which costs
                // the server several times as much and which MySQL 8.0 deprecates. The audit's own row (its client address)
                // and the master user's sessions both come from it.
                await new SqlStatementBatch()
                    .Add(AccountStatements.SelectUsers(session.ServerKind, session.MySqlCompatibility), reader => users.Add(AccountService.ToDbUser(reader)),
                        error => SqlErrorTranslator.TranslateAccountStatement(error, "read the accounts on", account))
                    .Add(AccountStatements.SelectGlobalPrivileges, reader => privileges.Add(AccountService.ToGlobalPrivilege(reader)),
                        error => SqlErrorTranslator.TranslateAccountStatement(error, "read the global privileges on", account))
                    .Add(ServerTlsVariables.Query, variables.ReadRow,
                        error => SqlErrorTranslator.TranslateStatement(error, session, "Reading require_secure_transport and tls_version"))
                    .Add("SHOW FULL PROCESSLIST", reader => sessions.Add(SessionLister.ReadRow(session, reader)),
                        error => SqlErrorTranslator.TranslateStatement(error, session, "Reading the process list (SHOW FULL PROCESSLIST)"))
                    .RunAsync(session, cancellationToken)
                    .ConfigureAwait(false);

                var evidence = new SqlEvidence
                {
                    Endpoint = session.Endpoint,
                    Port = session.Port,
                    User = session.User,
                    ServerKind = session.ServerKind,
                    ServerVersion = session.ServerVersion,
                    TlsProtocol = session.TlsProtocol,
                    Accounts = users,
                    GlobalPrivileges = privileges,
                    Variables = variables,
                    AuditingHost = sessions.FirstOrDefault(s => s.Id == session.ConnectionId)?.ClientAddress,
                };
                if (!string.IsNullOrEmpty(masterUser))
                {
                    var filter = new SessionFilter { UserPattern = "^" + Regex.Escape(masterUser) + "$" };
                    evidence.MasterUserSessions = SessionLister.Select(sessions, session, filter);
                }

                return evidence;
            }
        }
    }
}
