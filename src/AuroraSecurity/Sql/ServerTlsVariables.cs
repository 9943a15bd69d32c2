using System;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace AuroraSecurity.Sql
{
    /// <summary>The TLS settings a server is running with (global variables), which can differ from what its parameter group says.</summary>
    public sealed class ServerTlsVariables
    {
        internal const string Query = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('require_secure_transport', 'tls_version')";

        /// <summary>@@GLOBAL.require_secure_transport as the server spells it (ON, OFF); null when the server has no such variable.</summary>
        public string? RequireSecureTransport { get; internal set; }

        /// <summary>@@GLOBAL.tls_version ("TLSv1.2", "TLSv1,TLSv1.1,TLSv1.2"); null when the server has no such variable.</summary>
        public string? TlsVersion { get; internal set; }

        /// <summary>Reads both variables; one the server lacks stays null (unknown), never OFF.</summary>
        public static async Task<ServerTlsVariables> ReadAsync(AuroraSqlSession session, CancellationToken cancellationToken = default)
        {
            if (session is null) throw new ArgumentNullException(nameof(session));
            cancellationToken.ThrowIfCancellationRequested();
            var result = new ServerTlsVariables();
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = Query;
                    // Not the caller's token: the driver would open a second connection to kill the statement, and a stop must open nothing.
                    using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                        {
                            result.ReadRow(reader);
                        }
                    }
                }
            }
            catch (MySqlException error)
            {
                throw SqlErrorTranslator.TranslateStatement(error, session, "Reading require_secure_transport and tls_version");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }

        /// <summary>Takes one row of <see cref="Query"/> (Variable_name, Value).</summary>
        internal void ReadRow(MySqlDataReader reader)
        {
            var value = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
            if (string.Equals(reader.GetString(0), "require_secure_transport", StringComparison.OrdinalIgnoreCase)) RequireSecureTransport = value;
            else TlsVersion = value;
        }
    }
}
