using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Sql.Sessions
{
    /// <summary>
    /// The connection a batch of kills runs on when the sessions came down a pipeline: the very session they were
    /// listed on while it is open, else one connection reopened with its settings and reused for the rest of the batch.
    /// </summary>
    public sealed class RdsKillConnections : IDisposable
    {
        private readonly Dictionary<AuroraSqlSession, AuroraSqlSession> reopened = new Dictionary<AuroraSqlSession, AuroraSqlSession>();

        /// <summary>The connection to end this listed session from.</summary>
        public async Task<AuroraSqlSession> ForAsync(SessionInfo listed, CancellationToken cancellationToken = default)
        {
            if (listed is null) throw new ArgumentNullException(nameof(listed));
            var source = listed.Source ?? throw new AuroraSecurityException(
                "SessionSourceUnknown",
                FailureKind.InvalidArgument,
                $"Session {listed.Id} does not say which connection it was listed on. Pass -Session or -Endpoint with -SqlCredential.");
            if (source.IsOpen)
            {
                return source;
            }

            if (!reopened.TryGetValue(source, out var connection) || !connection.IsOpen)
            {
                connection?.Dispose();
                connection = await AuroraConnectionFactory.OpenAsync(source.Options, cancellationToken).ConfigureAwait(false);
                reopened[source] = connection;
            }

            return connection;
        }

        /// <summary>True when the connection was opened here rather than handed down with the sessions.</summary>
        public bool IsReopened(AuroraSqlSession connection) => reopened.ContainsValue(connection);

        /// <summary>Closes the connections opened here; the sessions handed down stay open.</summary>
        public void Dispose()
        {
            foreach (var connection in reopened.Values)
            {
                connection.Dispose();
            }

            reopened.Clear();
        }
    }
}
