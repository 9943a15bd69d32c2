using System;
using System.Collections.Generic;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.Audit
{
    /// <summary>What the audit read inside one cluster's database over SQL: accounts, global privileges, the master user's sessions, TLS variables.</summary>
    public sealed class SqlEvidence
    {
        /// <summary>The endpoint and port the evidence was read from (the cluster's writer endpoint).</summary>
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>The port connected to.</summary>
        public int Port { get; set; }

        /// <summary>The user the audit logged in as.</summary>
        public string User { get; set; } = string.Empty;

        /// <summary>Aurora MySQL, MySQL or MariaDB, as the server described itself.</summary>
        public ServerKind ServerKind { get; set; }

        /// <summary>VERSION() of the server.</summary>
        public string ServerVersion { get; set; } = string.Empty;

        /// <summary>The negotiated TLS protocol of the audit's own connection.</summary>
        public string TlsProtocol { get; set; } = string.Empty;

        /// <summary>Every account and role (mysql.user).</summary>
        public IReadOnlyList<DbUser> Accounts { get; set; } = Array.Empty<DbUser>();

        /// <summary>Every global privilege of every account.</summary>
        public IReadOnlyList<GlobalPrivilege> GlobalPrivileges { get; set; } = Array.Empty<GlobalPrivilege>();

        /// <summary>The master user's sessions, not counting the audit's own connection.</summary>
        public IReadOnlyList<SessionInfo> MasterUserSessions { get; set; } = Array.Empty<SessionInfo>();

        /// <summary>The client address the server sees for the audit's own connection (without the port); null when the server did not list it.</summary>
        public string? AuditingHost { get; set; }

        /// <summary>The server's running TLS variables.</summary>
        public ServerTlsVariables Variables { get; set; } = new ServerTlsVariables();
    }
}
