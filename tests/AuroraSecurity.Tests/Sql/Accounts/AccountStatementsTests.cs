using System;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>The SQL each account operation produces, per MySQL compatibility and sql_mode.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class AccountStatementsTests
    {
        private static readonly AccountStatements Mysql80 = new AccountStatements(SqlQuoting.Default, MySqlCompatibility.MySql80);
        private static readonly AccountStatements Mysql57 = new AccountStatements(SqlQuoting.Default, MySqlCompatibility.MySql57);
        private static readonly AccountStatements Mysql56 = new AccountStatements(SqlQuoting.Default, MySqlCompatibility.MySql56);

        [Fact]
        public void RequireSslIsAlterUserOn57And80AndGrantUsageOn56()
        {
            Assert.Equal("ALTER USER 'encrypted_user'@'%' REQUIRE SSL", Mysql80.RequireSsl("encrypted_user", "%", SslType.Any));
            Assert.Equal("ALTER USER 'encrypted_user'@'%' REQUIRE SSL", Mysql57.RequireSsl("encrypted_user", "%", SslType.Any));
            Assert.Equal("GRANT USAGE ON *.* TO 'encrypted_user'@'%' REQUIRE SSL", Mysql56.RequireSsl("encrypted_user", "%", SslType.Any));
            Assert.Equal("ALTER USER 'u'@'h' REQUIRE X509", Mysql80.RequireSsl("u", "h", SslType.X509));
            Assert.Equal("GRANT USAGE ON *.* TO 'u'@'h' REQUIRE NONE", Mysql56.RequireSsl("u", "h", SslType.None));
            Assert.Throws<ArgumentOutOfRangeException>(() => Mysql80.RequireSsl("u", "h", SslType.Specified));
        }

        [Fact]
        public void CreateUserRequiresSslInOneStatementExceptOn56()
        {
            Assert.Equal(new[] { "CREATE USER 'app'@'%' IDENTIFIED BY 'pw' REQUIRE SSL" }, Mysql80.CreateUser("app", "%", "pw", false, true));
            Assert.Equal(new[] { "CREATE USER 'app'@'%' IDENTIFIED BY 'pw'" }, Mysql80.CreateUser("app", "%", "pw", false, false));
            Assert.Equal(
                new[] { "CREATE USER 'app'@'%' IDENTIFIED BY 'pw'", "GRANT USAGE ON *.* TO 'app'@'%' REQUIRE SSL" },
                Mysql56.CreateUser("app", "%", "pw", false, true));
        }

        [Fact]
        public void IamUsersAreIdentifiedWithTheAwsPlugin()
        {
            Assert.Equal(
                "CREATE USER 'reporting'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                Mysql80.CreateUser("reporting", "%", null, true, true).Single());
        }

        [Fact]
        public void PasswordChangeIsAlterUserOn57And80AndSetPasswordOn56()
        {
            Assert.Equal("ALTER USER 'app'@'%' IDENTIFIED BY 'it''s'", Mysql80.SetPassword("app", "%", "it's"));
            Assert.Equal("SET PASSWORD FOR 'app'@'%' = PASSWORD('it''s')", Mysql56.SetPassword("app", "%", "it's"));
        }

        [Fact]
        public void HostileNamesStayInsideTheirLiterals()
        {
            Assert.Equal(
                @"DROP USER 'x''@''%''; DROP USER admin; --'@'%'",
                Mysql80.DropUser("x'@'%'; DROP USER admin; --", "%"));
            Assert.Equal(@"DROP USER 'a\\'@'h\\'", Mysql80.DropUser(@"a\", @"h\"));
            var noBackslash = new AccountStatements(new SqlQuoting(noBackslashEscapes: true), MySqlCompatibility.MySql80);
            Assert.Equal(@"DROP USER 'a\'@'h\'", noBackslash.DropUser(@"a\", @"h\"));
            Assert.Equal("RENAME USER 'a`'@'%' TO 'b\"'@'%'", Mysql80.RenameUser("a`", "%", "b\"", "%"));
        }

        [Fact]
        public void GrantAndRevokeQuoteLevelsAsIdentifiers()
        {
            var level = PrivilegeLevel.Parse("`my.db`.`t``x`");
            var privileges = Privileges.Normalize(new[] { "select", "show_view", "SELECT" }, level);
            Assert.Equal(new[] { "SELECT", "SHOW VIEW" }, privileges);
            Assert.Equal("GRANT SELECT, SHOW VIEW ON `my.db`.`t``x` TO 'r'@'%' WITH GRANT OPTION", Mysql80.Grant(privileges, level, "r", "%", true));
            Assert.Equal("REVOKE SELECT, SHOW VIEW ON `my.db`.`t``x` FROM 'r'@'%'", Mysql80.Revoke(privileges, level, "r", "%"));
            Assert.Equal("GRANT ALL PRIVILEGES ON *.* TO 'r'@'%'", Mysql80.Grant(Privileges.Normalize(new[] { "all" }, PrivilegeLevel.Parse("*.*")), PrivilegeLevel.Parse("*.*"), "r", "%", false));
        }

        [Theory]
        [InlineData("*.*", null, null)]
        [InlineData("orders.*", "orders", null)]
        [InlineData("orders.items", "orders", "items")]
        [InlineData("`a.b`.*", "a.b", null)]
        [InlineData("`x``y`.`;DROP`", "x`y", ";DROP")]
        public void PrivilegeLevelsParse(string text, string? database, string? table)
        {
            var level = PrivilegeLevel.Parse(text);
            Assert.Equal(database, level.Database);
            Assert.Equal(table, level.Table);
        }

        [Theory]
        [InlineData("")]
        [InlineData("*")]
        [InlineData("db")]
        [InlineData("*.t")]
        [InlineData("a.b.c")]
        [InlineData("`a.*")]
        [InlineData("a`b.*")]
        [InlineData("db.*; DROP USER admin")]
        [InlineData(".*")]
        public void MalformedLevelsAreRefused(string text)
        {
            var error = Assert.Throws<AuroraSecurityException>(() => PrivilegeLevel.Parse(text));
            Assert.Equal("PrivilegeLevelInvalid", error.ErrorId);
        }

        [Theory]
        [InlineData("SELECT; DROP USER admin", "*.*", "PrivilegeUnknown")]
        [InlineData("SUPERUSER", "*.*", "PrivilegeUnknown")]
        [InlineData("PROCESS", "db.*", "PrivilegeNeedsGlobalLevel")]
        [InlineData("EXECUTE", "db.t", "PrivilegeNotForTables")]
        public void PrivilegesAreCheckedAgainstTheListAndTheLevel(string privilege, string level, string errorId)
        {
            var error = Assert.Throws<AuroraSecurityException>(() => Privileges.Normalize(new[] { privilege }, PrivilegeLevel.Parse(level)));
            Assert.Equal(errorId, error.ErrorId);
        }

        [Fact]
        public void ReadingUsersKnowsRolesOnMariaDbAndMySql80()
        {
            Assert.Contains("is_role = 'Y'", AccountStatements.SelectUsers(ServerKind.MariaDb, MySqlCompatibility.MySql80));
            Assert.Contains("mysql.role_edges", AccountStatements.SelectUsers(ServerKind.AuroraMySql, MySqlCompatibility.MySql80));
            Assert.DoesNotContain("role", AccountStatements.SelectUsers(ServerKind.AuroraMySql, MySqlCompatibility.MySql57));
        }
    }
}
