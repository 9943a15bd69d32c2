using System;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Clusters;
using AuroraSecurity.Engine;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Audit
{
    /// <summary>The checks on evidence read inside the database; no I/O.</summary>
    internal static class SqlClusterChecks
    {
        // The dynamic privileges of MySQL 8.0 that administer the server rather than data (every *_ADMIN, plus these).
        private static readonly HashSet<string> AdminPrivileges = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SUPER", "CREATE USER", "SYSTEM_USER", "SET_USER_ID" };

        public static CheckVerdict AccountsRequireTls(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var logins = Logins(sql).ToList();
            var plain = logins.Where(a => !a.RequiresSsl).Select(Name).ToList();
            if (plain.Count == 0) return CheckVerdict.Pass($"All {logins.Count} login accounts on {sql.Endpoint} require TLS (reserved accounts and roles not counted).");
            var enforced = IsOn(sql.Variables.RequireSecureTransport);
            if (enforced == true)
            {
                return CheckVerdict.Warning($"{plain.Count} of {logins.Count} login accounts on {sql.Endpoint} do not require TLS: {Join(plain)}. The server refuses unencrypted logins today only because require_secure_transport is ON; the accounts themselves allow them.");
            }

            return CheckVerdict.Fail($"{plain.Count} of {logins.Count} login accounts on {sql.Endpoint} may log in without TLS (REQUIRE NONE, and require_secure_transport is {sql.Variables.RequireSecureTransport ?? "unknown"} on the server): {Join(plain)}.");
        }

        public static CheckVerdict NoAnonymousAccount(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var anonymous = sql.Accounts.Where(a => a.User.Length == 0 && !a.IsRole).Select(Name).ToList();
            if (anonymous.Count == 0) return CheckVerdict.Pass($"No anonymous account among the {sql.Accounts.Count} accounts on {sql.Endpoint}.");
            return CheckVerdict.Fail($"Anonymous accounts (empty user name) on {sql.Endpoint}: {Join(anonymous)}.");
        }

        public static CheckVerdict NoPasswordAccountFromAnyHost(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var master = e.Cluster.MasterUsername;
            var open = Logins(sql)
                .Where(a => a.Host == "%" && !a.IsIamUser && !IsMaster(a.User, master))
                .Select(Name).ToList();
            var note = master == null ? " RDS did not report the master user name, so no account was exempted as the master user." : $" The master user '{master}' is not counted: RDS creates it for any host.";
            if (open.Count == 0) return CheckVerdict.Pass($"No password account on {sql.Endpoint} accepts logins from any host ('%').{note}");
            return CheckVerdict.Fail($"Password accounts on {sql.Endpoint} that accept logins from any host ('%'), {open.Count} in all: {Join(open)}.{note}");
        }

        public static CheckVerdict NoExtraAdministrator(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var master = e.Cluster.MasterUsername;
            var logins = new HashSet<string>(Logins(sql).Select(Name), StringComparer.Ordinal);
            var admins = sql.GlobalPrivileges
                .Where(p => IsAdministrative(p.Privilege) && !IsMaster(p.User, master) && logins.Contains(Name(p.User, p.Host)))
                .GroupBy(p => Name(p.User, p.Host), StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Select(p => p.Privilege).OrderBy(p => p, StringComparer.Ordinal))})")
                .ToList();
            var note = master == null ? " RDS did not report the master user name, so it is counted like any other account." : string.Empty;
            if (admins.Count == 0) return CheckVerdict.Pass($"No account on {sql.Endpoint} other than the master user{(master == null ? string.Empty : $" '{master}'")} and reserved accounts holds ALL, SUPER, CREATE USER or a dynamic *_ADMIN privilege on *.*.{note}");
            return CheckVerdict.Fail($"Accounts on {sql.Endpoint} besides the master user that hold global administrative privileges, {admins.Count} in all: {string.Join("; ", admins)}.{note}");
        }

        public static CheckVerdict MasterUserNotShared(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var master = e.Cluster.MasterUsername;
            if (string.IsNullOrEmpty(master))
            {
                return CheckVerdict.Warning("RDS did not report the cluster's master user name, so its sessions could not be told apart.", "Run the audit again; Get-AuroraCluster shows MasterUsername.");
            }

            var others = sql.MasterUserSessions
                .Where(s => sql.AuditingHost == null || !string.Equals(s.ClientAddress, sql.AuditingHost, StringComparison.OrdinalIgnoreCase))
                .GroupBy(s => s.ClientAddress ?? "unknown host", StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({g.Count()} session{(g.Count() == 1 ? string.Empty : "s")})")
                .ToList();
            var auditing = sql.AuditingHost == null ? "the server did not list the audit's own connection, so no host was exempted" : $"sessions from the auditing host {sql.AuditingHost} are not counted";
            if (others.Count == 0) return CheckVerdict.Pass($"No session of the master user '{master}' on {sql.Endpoint} from another host ({auditing}).");
            return CheckVerdict.Fail($"The master user '{master}' is in use on {sql.Endpoint} from {Join(others)} ({auditing}).");
        }

        public static CheckVerdict ServerRequireSecureTransport(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var tls = e.TlsConfig!;
            var server = sql.Variables.RequireSecureTransport;
            var serverOn = IsOn(server);
            if (tls.RequireSecureTransport == null)
            {
                // What the group says is unknown, so agreement cannot be shown either way.
                var why = tls.UnknownFields.FirstOrDefault(f => f.StartsWith("require_secure_transport", StringComparison.OrdinalIgnoreCase));
                return CheckVerdict.Warning(
                    $"RDS's answer does not say what the group '{tls.ParameterGroupName}' sets require_secure_transport to{(why == null ? string.Empty : $" ({why})")}, so whether the server on {sql.Endpoint} (running {server ?? "no reported value"}) runs what the group says is unknown.",
                    "Run the audit again; Get-AuroraTlsConfig shows the group's value and UnknownFields.");
            }

            var groupOn = tls.RequireSecureTransport.Value;
            if (tls.RequireSecureTransportSource == null && server == null)
            {
                return CheckVerdict.NotApplicable($"Neither the group '{tls.ParameterGroupName}' nor the server has require_secure_transport (engine version {tls.EngineVersion}).");
            }

            if (serverOn == null)
            {
                return CheckVerdict.Warning($"The server on {sql.Endpoint} reports no require_secure_transport (value '{server ?? "absent"}'), so whether it enforces the group's {Setting(groupOn)} is unknown.");
            }

            var group = Setting(groupOn);
            if (serverOn == groupOn)
            {
                return CheckVerdict.Pass($"The server on {sql.Endpoint} runs require_secure_transport={server}, as the group '{tls.ParameterGroupName}' says ({group}).");
            }

            var text = $"Drift: the group '{tls.ParameterGroupName}' says require_secure_transport={group}, but the server on {sql.Endpoint} runs {server}. Likely cause: {DriftCause(e.Cluster, dynamic: true)}";
            return groupOn ? CheckVerdict.Fail(text) : CheckVerdict.Warning(text);
        }

        public static CheckVerdict ServerTlsVersion(ClusterEvidence e)
        {
            var sql = e.Sql!;
            var tls = e.TlsConfig!;
            if (tls.TlsVersion == null && tls.TlsVersionSource == null)
            {
                return CheckVerdict.NotApplicable($"The group '{tls.ParameterGroupName}' sets no tls_version (engine version {tls.EngineVersion}); AURSEC-PRB-001 with -ProbeEndpoint proves what the endpoints accept.");
            }

            if (sql.Variables.TlsVersion == null)
            {
                return CheckVerdict.Warning($"The server on {sql.Endpoint} reports no tls_version, so whether it runs the group's '{tls.TlsVersion}' is unknown.");
            }

            var group = Protocols(tls.TlsProtocols);
            var server = Protocols(sql.Variables.TlsVersion.Split(','));
            var extra = server.Except(group).ToList();
            var missing = group.Except(server).ToList();
            if (extra.Count == 0 && missing.Count == 0)
            {
                return CheckVerdict.Pass($"The server on {sql.Endpoint} runs tls_version '{sql.Variables.TlsVersion}', as the group '{tls.ParameterGroupName}' says ('{tls.TlsVersion ?? "default"}').");
            }

            var text = $"Drift: the group '{tls.ParameterGroupName}' says tls_version '{tls.TlsVersion ?? "default"}' ({Join(group)}), but the server on {sql.Endpoint} runs '{sql.Variables.TlsVersion}'" +
                       (extra.Count > 0 ? $", which also allows {Join(extra)}" : string.Empty) +
                       (missing.Count > 0 ? $"{(extra.Count > 0 ? " and" : ",")} leaves out {Join(missing)}" : string.Empty) +
                       $". Likely cause: {DriftCause(e.Cluster, dynamic: false)}";
            return extra.Count > 0 ? CheckVerdict.Fail(text) : CheckVerdict.Warning(text);
        }

        /// <summary>Why a server may run other values than its group: the members' parameter group status, in the guide's terms.</summary>
        internal static string DriftCause(AuroraCluster cluster, bool dynamic)
        {
            var pending = cluster.Members.Where(m => m.PendingReboot).Select(m => m.InstanceIdentifier).ToList();
            var other = cluster.Members.Where(m => !m.PendingReboot && !string.Equals(m.ParameterGroupStatus, "in-sync", StringComparison.Ordinal))
                .Select(m => $"{m.InstanceIdentifier} ({m.ParameterGroupStatus ?? "status unknown"})").ToList();
            if (pending.Count > 0) return $"a pending reboot: {Join(pending)} still run the values they started with.";
            if (other.Count > 0) return $"the group is not yet applied: {Join(other)}.";
            return dynamic
                ? "every instance reports in-sync, so the group was changed moments ago or the value was changed on the server itself; run the audit again, and reboot the writer if it persists."
                : "every instance reports in-sync although the server runs other values: the group may have been attached without a reboot since; reboot the writer in a maintenance window.";
        }

        internal static IReadOnlyList<string> Protocols(IEnumerable<string> names)
        {
            var result = new List<string>();
            foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
            {
                string normalized;
                try
                {
                    normalized = TlsProbe.NormalizeProtocol(name);
                }
                catch (ArgumentException)
                {
                    normalized = name;
                }

                if (!result.Contains(normalized)) result.Add(normalized);
            }

            return result;
        }

        internal static bool IsAdministrative(string privilege) =>
            AdminPrivileges.Contains(privilege) || privilege.EndsWith("_ADMIN", StringComparison.OrdinalIgnoreCase);

        private static IEnumerable<DbUser> Logins(SqlEvidence sql) => sql.Accounts.Where(a => !a.IsReserved && !a.IsRole);

        private static bool IsMaster(string user, string? master) => master != null && string.Equals(user, master, StringComparison.Ordinal);

        private static bool? IsOn(string? value) => ParameterValues.OnOff(value);

        private static string Setting(bool on) => on ? "ON" : "OFF";

        private static string Name(DbUser account) => Name(account.User, account.Host);

        private static string Name(string user, string host) => $"'{user}'@'{host}'";

        private static string Join(IEnumerable<string> items) => string.Join(", ", items);
    }
}
