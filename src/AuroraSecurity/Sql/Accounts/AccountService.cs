using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>Reads and changes accounts over one session; every check that can refuse a request runs before any SQL.</summary>
    public sealed class AccountService
    {
        private readonly AuroraSqlSession session;

        /// <summary>Works on <paramref name="session"/>, with the syntax its MySQL compatibility calls for.</summary>
        public AccountService(AuroraSqlSession session)
        {
            this.session = session ?? throw new ArgumentNullException(nameof(session));
            Statements = new AccountStatements(session.Quoting, session.MySqlCompatibility);
        }

        /// <summary>The statement builder for this session.</summary>
        public AccountStatements Statements { get; }

        /// <summary>Checks an account that is about to be changed: reserved accounts and Aurora's name limits, before any SQL.</summary>
        public void EnsureChangeable(string user, string host, string action)
        {
            ReservedAccounts.EnsureNotReserved(user, action);
            AccountNames.Validate(user, host, session.MySqlCompatibility);
        }

        private string Checked(string user, string host, string action)
        {
            EnsureChangeable(user, host, action);
            return AccountNames.NormalizeHost(host);
        }

        /// <summary>Every account, streamed row by row as the server sends them.</summary>
        public IEnumerable<DbUser> ReadUsers(CancellationToken cancellationToken = default) =>
            Translated(Read(AccountStatements.SelectUsers(session.ServerKind, session.MySqlCompatibility), cancellationToken));

        /// <summary>One account, or null when it does not exist.</summary>
        public DbUser? FindUser(string user, string host)
        {
            AccountNames.Validate(user, host, session.MySqlCompatibility);
            host = AccountNames.NormalizeHost(host);
            try
            {
                foreach (var found in Read(Statements.SelectUser(session.ServerKind, user, host), CancellationToken.None))
                {
                    return found;
                }
            }
            catch (MySqlException error)
            {
                throw SqlErrorTranslator.TranslateAccountStatement(error, "read", Statements.Account(user, host));
            }

            return null;
        }

        /// <summary>Opens another connection with the session's settings and credentials, for changes while the session streams.</summary>
        public static AuroraSqlSession OpenCompanion(AuroraSqlSession session, CancellationToken cancellationToken = default) =>
            AuroraConnectionFactory.OpenAsync(session.Options, cancellationToken).GetAwaiter().GetResult();

        // An iterator cannot catch around its own yield, so server errors while streaming are translated here.
        private IEnumerable<DbUser> Translated(IEnumerable<DbUser> rows)
        {
            using (var enumerator = rows.GetEnumerator())
            {
                while (true)
                {
                    try
                    {
                        if (!enumerator.MoveNext())
                        {
                            yield break;
                        }
                    }
                    catch (MySqlException error)
                    {
                        throw SqlErrorTranslator.TranslateAccountStatement(error, "read the accounts on", session.ToString());
                    }

                    yield return enumerator.Current;
                }
            }
        }

        private IEnumerable<DbUser> Read(string query, CancellationToken cancellationToken)
        {
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = query;
                using (cancellationToken.Register(() => command.Cancel()))
                using (var reader = command.ExecuteReader())
                {
                    session.BeginStreaming();
                    try
                    {
                        while (reader.Read())
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            yield return ToDbUser(reader);
                        }
                    }
                    finally
                    {
                        session.EndStreaming();
                    }
                }
            }
        }

        /// <summary>
        /// Every account, read to the end before returning. Cancellation is checked between statements only, so a stop never
        /// makes the driver open a second connection to kill the statement in flight.
        /// </summary>
        public async Task<IReadOnlyList<DbUser>> ReadUsersAsync(CancellationToken cancellationToken = default)
        {
            var users = new List<DbUser>();
            await ReadRowsAsync(AccountStatements.SelectUsers(session.ServerKind, session.MySqlCompatibility), reader => users.Add(ToDbUser(reader)), "read the accounts on", cancellationToken).ConfigureAwait(false);
            return users;
        }

        /// <summary>Each account's global (*.*) privileges, static and dynamic, as the server names them ("SUPER", "CREATE USER", "SYSTEM_VARIABLES_ADMIN").</summary>
        public async Task<IReadOnlyList<GlobalPrivilege>> ReadGlobalPrivilegesAsync(CancellationToken cancellationToken = default)
        {
            var privileges = new List<GlobalPrivilege>();
            await ReadRowsAsync(AccountStatements.SelectGlobalPrivileges, reader => privileges.Add(ToGlobalPrivilege(reader)), "read the global privileges on", cancellationToken).ConfigureAwait(false);
            return privileges;
        }

        /// <summary>One row of <see cref="AccountStatements.SelectGlobalPrivileges"/>.</summary>
        internal static GlobalPrivilege ToGlobalPrivilege(MySqlDataReader reader) => new GlobalPrivilege(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            string.Equals(reader.IsDBNull(3) ? string.Empty : reader.GetString(3), "YES", StringComparison.OrdinalIgnoreCase));

        private async Task ReadRowsAsync(string query, Action<MySqlDataReader> row, string action, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using (var command = session.Connection.CreateCommand())
                {
                    command.CommandText = query;
                    using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                        {
                            row(reader);
                        }
                    }
                }
            }
            catch (MySqlException error)
            {
                throw SqlErrorTranslator.TranslateAccountStatement(error, action, session.ToString());
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>One row of <see cref="AccountStatements.SelectUsers(ServerKind, MySqlCompatibility)"/>.</summary>
        internal static DbUser ToDbUser(MySqlDataReader reader) => new DbUser(
            reader.GetString(0),
            reader.GetString(1),
            reader.IsDBNull(3) ? string.Empty : reader.GetString(3),
            ParseSslType(reader.IsDBNull(2) ? string.Empty : reader.GetString(2)),
            !reader.IsDBNull(4) && Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture) != 0);

        /// <summary>The account's TLS requirement, or null when the account does not exist.</summary>
        public SslType? ReadSslType(string user, string host)
        {
            AccountNames.Validate(user, host, session.MySqlCompatibility);
            host = AccountNames.NormalizeHost(host);
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = Statements.SelectSslType(user, host);
                var value = Execute(() => command.ExecuteScalar(), "read", user, host, null);
                return value == null || value is DBNull ? (SslType?)null : ParseSslType(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }

        /// <summary>Sets the account's TLS requirement; reads it first and sends nothing when it is already so.</summary>
        public UserSslChange SetSslType(string user, string host, SslType sslType) => Apply(PlanSslType(user, host, sslType));

        /// <summary>Reads the account once and says what setting its TLS requirement would do; sends nothing.</summary>
        public UserSslPlan PlanSslType(string user, string host, SslType sslType)
        {
            host = Checked(user, host, "change the TLS requirement of");
            var previous = ReadSslType(user, host) ?? throw NotFound(user, host);
            return new UserSslPlan(Statements.Account(user, host), user, host, previous, sslType);
        }

        /// <summary>Carries out a plan: one statement when the requirement differs, none when it already holds.</summary>
        public UserSslChange Apply(UserSslPlan plan)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (plan.NeedsChange)
            {
                Run(Statements.RequireSsl(plan.User, plan.Host, plan.SslType), "change the TLS requirement of", plan.User, plan.Host, null);
            }

            return new UserSslChange(plan.User, plan.Host, plan.PreviousSslType, plan.SslType, changed: plan.NeedsChange);
        }

        /// <summary>
        /// Refuses an empty password unless <paramref name="allowEmpty"/> says it is meant: such an account logs in with no
        /// password at all. Returns whether the password is empty, so the caller can warn.
        /// </summary>
        public static bool CheckEmptyPassword(SecureString? password, bool allowEmpty, string account)
        {
            if (password == null || password.Length > 0)
            {
                return false;
            }

            if (!allowEmpty)
            {
                throw new AuroraSecurityException(
                    "AccountPasswordEmpty",
                    FailureKind.InvalidArgument,
                    $"The password for {account} is empty: the account would log in with no password at all. Pass a password, or -AllowEmptyPassword if that is really meant. No SQL was sent.");
            }

            return true;
        }

        /// <summary>Creates an account with a password, or for IAM authentication when <paramref name="password"/> is null.</summary>
        public void CreateUser(string user, string host, SecureString? password, bool requireSsl)
        {
            host = Checked(user, host, "create");
            var secret = password == null ? null : SqlSecrets.Reveal(password);
            if (secret != null && secret.IndexOf('\0') >= 0)
            {
                throw PasswordWithNul();
            }

            foreach (var statement in Statements.CreateUser(user, host, secret, iamAuthentication: password == null, requireSsl))
            {
                Run(statement, "create", user, host, secret);
            }
        }

        /// <summary>Drops an account.</summary>
        public void DropUser(string user, string host)
        {
            host = Checked(user, host, "drop");
            Run(Statements.DropUser(user, host), "drop", user, host, null);
        }

        /// <summary>Renames an account; neither the old nor the new name may be reserved.</summary>
        public void RenameUser(string user, string host, string newUser, string newHost)
        {
            host = Checked(user, host, "rename");
            newHost = Checked(newUser, newHost, "rename an account to");
            Run(Statements.RenameUser(user, host, newUser, newHost), "rename", user, host, null);
        }

        /// <summary>Changes an account's password.</summary>
        public void SetPassword(string user, string host, SecureString password)
        {
            host = Checked(user, host, "change the password of");
            var secret = SqlSecrets.Reveal(password ?? throw new ArgumentNullException(nameof(password)));
            if (secret.IndexOf('\0') >= 0)
            {
                throw PasswordWithNul();
            }

            Run(Statements.SetPassword(user, host, secret), "change the password of", user, host, secret);
        }

        /// <summary>Grants privileges; names are checked against the static privilege list before any SQL.</summary>
        public void Grant(IEnumerable<string> privileges, string level, string user, string host, bool withGrantOption) =>
            Apply(PlanGrant(privileges, level, user, host, withGrantOption));

        /// <summary>Revokes privileges.</summary>
        public void Revoke(IEnumerable<string> privileges, string level, string user, string host) =>
            Apply(PlanRevoke(privileges, level, user, host));

        /// <summary>Checks the account, the level and the privilege names and says what the GRANT would do; sends nothing.</summary>
        public PrivilegePlan PlanGrant(IEnumerable<string> privileges, string level, string user, string host, bool withGrantOption)
        {
            host = Checked(user, host, "change the privileges of");
            var parsed = PrivilegeLevel.Parse(level);
            var names = Privileges.Normalize(privileges, parsed);
            return new PrivilegePlan(true, names, parsed, user, host, withGrantOption, Statements.Grant(names, parsed, user, host, withGrantOption));
        }

        /// <summary>Checks the account, the level and the privilege names and says what the REVOKE would do; sends nothing.</summary>
        public PrivilegePlan PlanRevoke(IEnumerable<string> privileges, string level, string user, string host)
        {
            host = Checked(user, host, "change the privileges of");
            var parsed = PrivilegeLevel.Parse(level);
            var names = Privileges.Normalize(privileges, parsed);
            return new PrivilegePlan(false, names, parsed, user, host, false, Statements.Revoke(names, parsed, user, host));
        }

        /// <summary>Carries out a GRANT or REVOKE plan: one statement.</summary>
        public void Apply(PrivilegePlan plan)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            Run(plan.Statement, plan.IsGrant ? "grant privileges to" : "revoke privileges from", plan.User, plan.Host, null);
        }

        /// <summary>The ssl_type column's spelling as an <see cref="SslType"/>.</summary>
        public static SslType ParseSslType(string value)
        {
            switch ((value ?? string.Empty).Trim().ToUpperInvariant())
            {
                case "ANY": return SslType.Any;
                case "X509": return SslType.X509;
                case "SPECIFIED": return SslType.Specified;
                default: return SslType.None;
            }
        }

        private void Run(string statement, string action, string user, string host, string? secret)
        {
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = statement;
                Execute(() => command.ExecuteNonQuery(), action, user, host, secret);
            }
        }

        private T Execute<T>(Func<T> work, string action, string user, string host, string? secret)
        {
            try
            {
                return work();
            }
            catch (MySqlException error)
            {
                throw SqlErrorTranslator.TranslateAccountStatement(error, action, Statements.Account(user, host), secret);
            }
        }

        private static AuroraSecurityException PasswordWithNul() =>
            new AuroraSecurityException("AccountPasswordInvalid", FailureKind.InvalidArgument, "The password contains the NUL character, which MySQL cannot store. No SQL was sent.");

        private AuroraSecurityException NotFound(string user, string host) =>
            SqlErrorTranslator.AccountNotFound($"The account {Statements.Account(user, host)} does not exist on {session.Endpoint}.");
    }
}
