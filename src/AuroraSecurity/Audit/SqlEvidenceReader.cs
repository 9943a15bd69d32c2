using System;
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
        /// <summary>Connects with <paramref name="options"/> (TLS as given, VerifyFull by default), reads, and closes the connection.</summary>
        public static async Task<SqlEvidence> ReadAsync(SqlConnectionOptions options, string? masterUser, CancellationToken cancellationToken)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            using (var session = await AuroraConnectionFactory.OpenAsync(options, cancellationToken).ConfigureAwait(false))
            {
                var accounts = new AccountService(session);
                var evidence = new SqlEvidence
                {
                    Endpoint = session.Endpoint,
                    Port = session.Port,
                    User = session.User,
                    ServerKind = session.ServerKind,
                    ServerVersion = session.ServerVersion,
                    TlsProtocol = session.TlsProtocol,
                    Accounts = await accounts.ReadUsersAsync(cancellationToken).ConfigureAwait(false),
                    GlobalPrivileges = await accounts.ReadGlobalPrivilegesAsync(cancellationToken).ConfigureAwait(false),
                    Variables = await ServerTlsVariables.ReadAsync(session, cancellationToken).ConfigureAwait(false),
                };

                // The driver kills a cancelled statement over a second connection; a stopped audit must open none, so the token is checked between statements.
                var own = await SessionLister.LookupAsync(session, new[] { session.ConnectionId }, CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                evidence.AuditingHost = own.TryGetValue(session.ConnectionId, out var self) ? self.ClientAddress : null;
                if (!string.IsNullOrEmpty(masterUser))
                {
                    var filter = new SessionFilter { UserPattern = "^" + Regex.Escape(masterUser) + "$" };
                    evidence.MasterUserSessions = (await SessionLister.ListAsync(session, filter, CancellationToken.None).ConfigureAwait(false)).ToList();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return evidence;
            }
        }
    }
}
