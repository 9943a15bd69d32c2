using System;
using System.Collections.Generic;
using AuroraSecurity.Engine;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>
    /// Builds account statements for one server: every name goes through <see cref="SqlQuoting"/>, and the MySQL
    /// compatibility picks the syntax (5.6 has no ALTER USER … REQUIRE and no REQUIRE in CREATE USER).
    /// </summary>
    public sealed class AccountStatements
    {
        /// <summary>The authentication plugin of IAM database users.</summary>
        public const string IamPlugin = "AWSAuthenticationPlugin";

        private readonly SqlQuoting quoting;

        /// <summary>Statements for a server speaking <paramref name="mySqlCompatibility"/>.</summary>
        public AccountStatements(SqlQuoting quoting, MySqlCompatibility mySqlCompatibility)
        {
            this.quoting = quoting ?? throw new ArgumentNullException(nameof(quoting));
            MySqlCompatibility = mySqlCompatibility;
        }

        /// <summary>The MySQL version whose syntax is used.</summary>
        public MySqlCompatibility MySqlCompatibility { get; }

        private bool UsesMySql56Syntax => MySqlCompatibility == MySqlCompatibility.MySql56;

        /// <summary>'user'@'host', quoted.</summary>
        public string Account(string user, string host) => quoting.Account(user, host);

        /// <summary>CREATE USER with a password or IAM authentication; on 5.6 REQUIRE SSL is a second statement.</summary>
        public IReadOnlyList<string> CreateUser(string user, string host, string? password, bool iamAuthentication, bool requireSsl)
        {
            var account = Account(user, host);
            var create = "CREATE USER " + account + (iamAuthentication
                ? " IDENTIFIED WITH " + IamPlugin + " AS " + quoting.Literal("RDS")
                : " IDENTIFIED BY " + quoting.Literal(password ?? throw new ArgumentNullException(nameof(password))));
            if (!requireSsl)
            {
                return new[] { create };
            }

            return UsesMySql56Syntax
                ? new[] { create, RequireSsl(user, host, SslType.Any) }
                : new[] { create + " REQUIRE SSL" };
        }

        /// <summary>DROP USER.</summary>
        public string DropUser(string user, string host) => "DROP USER " + Account(user, host);

        /// <summary>RENAME USER.</summary>
        public string RenameUser(string user, string host, string newUser, string newHost) =>
            "RENAME USER " + Account(user, host) + " TO " + Account(newUser, newHost);

        /// <summary>ALTER USER … IDENTIFIED BY (5.7/8.0), SET PASSWORD FOR … = PASSWORD(…) (5.6).</summary>
        public string SetPassword(string user, string host, string password) => UsesMySql56Syntax
            ? "SET PASSWORD FOR " + Account(user, host) + " = PASSWORD(" + quoting.Literal(password) + ")"
            : "ALTER USER " + Account(user, host) + " IDENTIFIED BY " + quoting.Literal(password);

        /// <summary>ALTER USER … REQUIRE (5.7/8.0), GRANT USAGE ON *.* TO … REQUIRE (5.6).</summary>
        public string RequireSsl(string user, string host, SslType sslType)
        {
            string clause;
            switch (sslType)
            {
                case SslType.None: clause = "NONE"; break;
                case SslType.Any: clause = "SSL"; break;
                case SslType.X509: clause = "X509"; break;
                default: throw new ArgumentOutOfRangeException(nameof(sslType), sslType, "Only None, Any (SSL) and X509 can be required without naming a cipher, issuer or subject.");
            }

            return UsesMySql56Syntax
                ? "GRANT USAGE ON *.* TO " + Account(user, host) + " REQUIRE " + clause
                : "ALTER USER " + Account(user, host) + " REQUIRE " + clause;
        }

        /// <summary>GRANT privileges (already normalized by <see cref="Privileges"/>) ON level TO account.</summary>
        public string Grant(IReadOnlyList<string> privileges, PrivilegeLevel level, string user, string host, bool withGrantOption) =>
            "GRANT " + string.Join(", ", privileges) + " ON " + level.ToSql(quoting) + " TO " + Account(user, host) + (withGrantOption ? " WITH GRANT OPTION" : string.Empty);

        /// <summary>REVOKE privileges ON level FROM account.</summary>
        public string Revoke(IReadOnlyList<string> privileges, PrivilegeLevel level, string user, string host) =>
            "REVOKE " + string.Join(", ", privileges) + " ON " + level.ToSql(quoting) + " FROM " + Account(user, host);

        /// <summary>The ssl_type of one account.</summary>
        public string SelectSslType(string user, string host) =>
            "SELECT ssl_type FROM mysql.user WHERE User = " + quoting.Literal(user) + " AND Host = " + quoting.Literal(host);

        /// <summary>
        /// Global privileges per account: User, Host, PRIVILEGE_TYPE, IS_GRANTABLE. information_schema lists static and (on MySQL 8.0)
        /// dynamic privileges alike; joining mysql.user on the grantee's spelling gives the real user and host columns, so no name is parsed.
        /// </summary>
        public const string SelectGlobalPrivileges =
            "SELECT u.User, u.Host, p.PRIVILEGE_TYPE, p.IS_GRANTABLE FROM information_schema.USER_PRIVILEGES p " +
            "JOIN mysql.user u ON p.GRANTEE = CONCAT('''', u.User, '''@''', u.Host, '''') " +
            "ORDER BY u.User, u.Host, p.PRIVILEGE_TYPE";

        /// <summary>Every account with its TLS requirement, plugin and whether it is a role: User, Host, ssl_type, plugin, is_role.</summary>
        public static string SelectUsers(ServerKind serverKind, MySqlCompatibility mySqlCompatibility) => SelectUsers(serverKind, mySqlCompatibility, null);

        /// <summary>The same columns for one account.</summary>
        public string SelectUser(ServerKind serverKind, string user, string host) =>
            SelectUsers(serverKind, MySqlCompatibility, "User = " + quoting.Literal(user) + " AND Host = " + quoting.Literal(host));

        private static string SelectUsers(ServerKind serverKind, MySqlCompatibility mySqlCompatibility, string? where)
        {
            var filter = where == null ? string.Empty : " WHERE " + where;
            if (serverKind == ServerKind.MariaDb)
            {
                return "SELECT User, Host, ssl_type, plugin, is_role = 'Y' FROM mysql.user" + filter + " ORDER BY User, Host";
            }

            if (mySqlCompatibility == MySqlCompatibility.MySql80)
            {
                // A MySQL 8.0 role is a locked account without a password, or one granted to someone (role_edges).
                return "SELECT User, Host, ssl_type, plugin, " +
                       "(account_locked = 'Y' AND password_expired = 'Y' AND authentication_string = '') " +
                       "OR EXISTS (SELECT 1 FROM mysql.role_edges r WHERE r.FROM_USER = mysql.user.User AND r.FROM_HOST = mysql.user.Host) " +
                       "FROM mysql.user" + filter + " ORDER BY User, Host";
            }

            return "SELECT User, Host, ssl_type, plugin, 0 FROM mysql.user" + filter + " ORDER BY User, Host";
        }
    }
}
