using System;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Engine;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>Reads what an open session needs to know about its server: version, kind, MySQL compatibility and TLS in use.</summary>
    internal static class SqlServerDescription
    {
        // One round trip: the version, the connection id and sql_mode; the negotiated TLS; then AURORA_VERSION(), last because
        // a server that is not Aurora answers it with an error, which ends the batch.
        internal const string Query =
            "SELECT VERSION(), CONNECTION_ID(), @@SESSION.sql_mode; " +
            "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher'); " +
            "SELECT AURORA_VERSION()";

        internal static async Task DescribeAsync(AuroraSqlSession session, CancellationToken cancellationToken)
        {
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = Query;
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException("The server answered SELECT VERSION() with no row.");
                    }

                    session.ServerVersion = reader.GetString(0);
                    session.ConnectionId = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                    var sqlMode = reader.IsDBNull(2) ? string.Empty : reader.GetString(2);
                    session.Quoting = new SqlQuoting(sqlMode.IndexOf("NO_BACKSLASH_ESCAPES", StringComparison.OrdinalIgnoreCase) >= 0);

                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var value = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                        if (string.Equals(reader.GetString(0), "Ssl_version", StringComparison.OrdinalIgnoreCase))
                        {
                            session.TlsProtocol = value;
                        }
                        else
                        {
                            session.TlsCipher = value;
                        }
                    }

                    session.AuroraVersion = await ReadAuroraVersionAsync(reader, cancellationToken).ConfigureAwait(false);
                }
            }

            if (session.AuroraVersion != null && AuroraEngineVersion.TryParse(session.AuroraVersion, out var engine, out _))
            {
                session.ServerKind = ServerKind.AuroraMySql;
                session.EngineVersion = engine;
                session.MySqlCompatibility = engine!.MySqlCompatibility;
            }
            else if (session.ServerVersion.IndexOf("MariaDB", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                session.ServerKind = ServerKind.MariaDb;
                session.MySqlCompatibility = MySqlCompatibility.MySql80;
            }
            else
            {
                session.ServerKind = ServerKind.MySql;
                session.MySqlCompatibility = MySqlCompatibilities.FromVersionPrefix(session.ServerVersion) ?? MySqlCompatibility.MySql80;
            }
        }

        // The batch's last result: AURORA_VERSION(), or null when the server has no such function.
        private static async Task<string?> ReadAuroraVersionAsync(MySqlDataReader reader, CancellationToken cancellationToken)
        {
            try
            {
                if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return reader.IsDBNull(0) ? null : reader.GetValue(0) as string;
            }
            // With a default database, MariaDB looks AURORA_VERSION up as a stored function there and answers 1370 to a user without EXECUTE.
            catch (MySqlException error) when (error.Number == SqlErrorTranslator.FunctionDoesNotExist || error.Number == SqlErrorTranslator.ProcedureAccessDenied)
            {
                return null;
            }
        }
    }
}
