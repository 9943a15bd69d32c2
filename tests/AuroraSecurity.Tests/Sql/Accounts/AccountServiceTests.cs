using System;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>Account operations against the MariaDB sandbox, with the general log as the witness of what was sent.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class AccountServiceTests
    {
        private readonly SandboxServer server;

        public AccountServiceTests(SandboxFixture fixture) => server = fixture.Server;

        [Fact]
        public void CreateRequiresSslReadBackRenamePasswordAndDrop()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            const string user = "svc'test\\1";
            DropQuietly(user, "10.0.%");
            DropQuietly("svc_renamed", "10.0.%");

            service.CreateUser(user, "10.0.%", AccountSandbox.Secure("first-Pa55"), requireSsl: true);
            Assert.Equal("[ANY]", AccountSandbox.SslTypeOf(server, user, "10.0.%"));
            var read = service.FindUser(user, "10.0.%");
            Assert.NotNull(read);
            Assert.Equal(user, read!.User);
            Assert.Equal(SslType.Any, read.SslType);
            Assert.Equal(SslType.Any, service.ReadSslType(user, "10.0.%"));

            var unchanged = service.SetSslType(user, "10.0.%", SslType.Any);
            Assert.Equal("Unchanged", unchanged.Result);
            var changed = service.SetSslType(user, "10.0.%", SslType.X509);
            Assert.Equal("Changed", changed.Result);
            Assert.Equal(SslType.Any, changed.PreviousSslType);
            Assert.Equal("[X509]", AccountSandbox.SslTypeOf(server, user, "10.0.%"));

            service.SetPassword(user, "10.0.%", AccountSandbox.Secure("second-Pa55"));
            service.RenameUser(user, "10.0.%", "svc_renamed", "10.0.%");
            Assert.False(AccountSandbox.Exists(server, user, "10.0.%"));
            Assert.True(AccountSandbox.Exists(server, "svc_renamed", "10.0.%"));
            Assert.Equal("[X509]", AccountSandbox.SslTypeOf(server, "svc_renamed", "10.0.%"));

            service.DropUser("svc_renamed", "10.0.%");
            Assert.False(AccountSandbox.Exists(server, "svc_renamed", "10.0.%"));
        }

        [Fact]
        public void SetSslTypeSendsNothingWhenTheAccountAlreadyHasIt()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            DropQuietly("svc_idem", "%");
            server.RunRootSql("CREATE USER 'svc_idem'@'%' REQUIRE SSL");
            try
            {
                var log = GeneralLog.Mark(server);
                var result = service.SetSslType("svc_idem", "%", SslType.Any);
                Assert.Equal("Unchanged", result.Result);
                var entries = log.EntriesOf(session.ConnectionId, e => e.Count >= 1);
                Assert.Equal(new[] { "SELECT ssl_type FROM mysql.user WHERE User = 'svc_idem' AND Host = '%'" }, entries.Select(e => e.Argument));
            }
            finally
            {
                DropQuietly("svc_idem", "%");
            }
        }

        [Fact]
        public void GrantAndRevokeReachTheServerWithQuotedLevels()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            DropQuietly("svc_grant", "%");
            service.CreateUser("svc_grant", "%", AccountSandbox.Secure("Pa55-word"), requireSsl: true);
            try
            {
                service.Grant(new[] { "select", "show view" }, "`odd.db``name`.*", "svc_grant", "%", withGrantOption: false);
                var grants = server.RunRootSql("SHOW GRANTS FOR 'svc_grant'@'%'");
                Assert.Contains("GRANT SELECT, SHOW VIEW ON `odd.db``name`.* TO `svc_grant`@`%`", grants);
                service.Revoke(new[] { "SHOW VIEW" }, "`odd.db``name`.*", "svc_grant", "%");
                grants = server.RunRootSql("SHOW GRANTS FOR 'svc_grant'@'%'");
                Assert.Contains("GRANT SELECT ON `odd.db``name`.* TO `svc_grant`@`%`", grants);
                Assert.DoesNotContain("SHOW VIEW", grants);
            }
            finally
            {
                DropQuietly("svc_grant", "%");
            }
        }

        [Fact]
        public void PrivilegePlansCheckEverythingAndSendNothingUntilApplied()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            DropQuietly("svc_plan", "%");
            service.CreateUser("svc_plan", "%", AccountSandbox.Secure("Pa55-word"), requireSsl: true);
            try
            {
                var plan = service.PlanGrant(new[] { "select", "show_view", "SELECT" }, "app.*", "svc_plan", "%", withGrantOption: true);
                Assert.Equal(new[] { "SELECT", "SHOW VIEW" }, plan.Privileges);
                Assert.Equal("Grant SELECT, SHOW VIEW on `app`.* with grant option", plan.Action);
                Assert.DoesNotContain("`app`", server.RunRootSql("SHOW GRANTS FOR 'svc_plan'@'%'"));

                var refused = Assert.Throws<AuroraSecurityException>(() => service.PlanRevoke(new[] { "SUPER" }, "app.*", "svc_plan", "%"));
                Assert.Equal("PrivilegeNeedsGlobalLevel", refused.ErrorId);
                Assert.Equal("ReservedAccount", Assert.Throws<AuroraSecurityException>(() => service.PlanGrant(new[] { "SELECT" }, "*.*", "rdsadmin", "localhost", false)).ErrorId);

                service.Apply(plan);
                Assert.Contains("GRANT SELECT, SHOW VIEW ON `app`.* TO `svc_plan`@`%` WITH GRANT OPTION", server.RunRootSql("SHOW GRANTS FOR 'svc_plan'@'%'"));
                var revoke = service.PlanRevoke(new[] { "show view" }, "app.*", "svc_plan", "%");
                Assert.Equal("Revoke SHOW VIEW on `app`.*", revoke.Action);
                service.Apply(revoke);
                Assert.DoesNotContain("SHOW VIEW", server.RunRootSql("SHOW GRANTS FOR 'svc_plan'@'%'"));
            }
            finally
            {
                DropQuietly("svc_plan", "%");
            }
        }

        [Fact]
        public void IamUsersFailOnMariaDbWithAClearMessage()
        {
            using var session = AccountSandbox.Open(server);
            var error = Assert.Throws<AuroraSecurityException>(() => new AccountService(session).CreateUser("svc_iam", "%", null, requireSsl: true));
            Assert.Equal("IamPluginMissing", error.ErrorId);
            Assert.Contains("1524", error.Message);
            Assert.Contains("AWSAuthenticationPlugin", error.Message);
            Assert.False(AccountSandbox.Exists(server, "svc_iam", "%"));
        }

        [Fact]
        public void TheServerRejectingAPasswordStatementDoesNotEchoThePassword()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            const string secret = "Leak-Me-If-You-Can-42";
            var error = Assert.Throws<AuroraSecurityException>(() => service.SetPassword("svc_nobody", "%", AccountSandbox.Secure(secret)));
            Assert.DoesNotContain(secret, error.ToString());
            Assert.Null(error.InnerException);
        }

        [Fact]
        public void ReservedAccountsAreRefusedBeforeAnySqlAndRdsadminSurvives()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            var log = GeneralLog.Mark(server);
            var attempts = new Action[]
            {
                () => service.DropUser("rdsadmin", "localhost"),
                () => service.RenameUser("rdsadmin", "localhost", "gone", "localhost"),
                () => service.RenameUser("svc_any", "%", "rdsadmin", "%"),
                () => service.SetPassword("rdsadmin", "localhost", AccountSandbox.Secure("x")),
                () => service.SetSslType("rdsadmin", "localhost", SslType.Any),
                () => service.Grant(new[] { "SELECT" }, "*.*", "rdsadmin", "localhost", false),
                () => service.Revoke(new[] { "SELECT" }, "*.*", "rds_superuser_role", ""),
                () => service.CreateUser("AWS_LOAD_S3_ACCESS", "%", AccountSandbox.Secure("x"), true),
                () => service.DropUser("mysql.sys", "localhost"),
                () => service.DropUser("rdsrepladmin", "%"),
            };
            foreach (var attempt in attempts)
            {
                var error = Assert.Throws<AuroraSecurityException>(attempt);
                Assert.Equal("ReservedAccount", error.ErrorId);
                Assert.Contains("No SQL was sent", error.Message);
            }

            Assert.Contains("provide management services", Assert.Throws<AuroraSecurityException>(() => service.DropUser("rdsadmin", "localhost")).Message);

            // A statement of our own as a fence: once it is in the log, anything sent before it would be too.
            using (var command = session.Connection.CreateCommand())
            {
                command.CommandText = "SELECT 'reserved-fence'";
                command.ExecuteScalar();
            }

            var entries = log.EntriesOf(session.ConnectionId, e => e.Any(x => x.Argument.Contains("reserved-fence")));
            Assert.Equal(new[] { "SELECT 'reserved-fence'" }, entries.Select(e => e.Argument));
            Assert.True(AccountSandbox.Exists(server, "rdsadmin", "localhost"));
        }

        [Fact]
        public void MariaDbWouldDropRdsadminForTheMasterUserSoTheGuardIsTheOnlyProtection()
        {
            // Proves the premise on a copy: admin holds what it takes to drop an account like rdsadmin.
            DropQuietly("rdsadmin_copy", "localhost");
            server.RunRootSql("CREATE USER 'rdsadmin_copy'@'localhost' ACCOUNT LOCK");
            using var session = AccountSandbox.Open(server);
            new AccountService(session).DropUser("rdsadmin_copy", "localhost");
            Assert.False(AccountSandbox.Exists(server, "rdsadmin_copy", "localhost"));
        }

        [Fact]
        public void TheMySql56PathUsesGrantUsageAndSetPasswordAndSixteenCharacters()
        {
            using var session = AccountSandbox.Open(server);
            session.MySqlCompatibility = MySqlCompatibility.MySql56;
            var service = new AccountService(session);
            DropQuietly("svc56", "%");
            var log = GeneralLog.Mark(server);
            try
            {
                service.CreateUser("svc56", "%", AccountSandbox.Secure("Pa55-56"), requireSsl: true);
                Assert.Equal("[ANY]", AccountSandbox.SslTypeOf(server, "svc56", "%"));
                service.SetSslType("svc56", "%", SslType.None);
                Assert.Equal("[]", AccountSandbox.SslTypeOf(server, "svc56", "%"));
                service.SetPassword("svc56", "%", AccountSandbox.Secure("Pa55-57"));
                service.DropUser("svc56", "%");

                var sent = log.EntriesOf(session.ConnectionId, e => e.Any(x => x.Argument.StartsWith("DROP USER", StringComparison.Ordinal)))
                    .Select(e => e.Argument).Where(a => !a.StartsWith("SELECT", StringComparison.Ordinal)).ToList();
                Assert.Equal(5, sent.Count);
                Assert.StartsWith("CREATE USER 'svc56'@'%' IDENTIFIED BY ", sent[0]);
                Assert.DoesNotContain("REQUIRE", sent[0]);
                Assert.Equal("GRANT USAGE ON *.* TO 'svc56'@'%' REQUIRE SSL", sent[1]);
                Assert.Equal("GRANT USAGE ON *.* TO 'svc56'@'%' REQUIRE NONE", sent[2]);
                Assert.StartsWith("SET PASSWORD FOR 'svc56'@'%' = PASSWORD(", sent[3]);
                Assert.Equal("DROP USER 'svc56'@'%'", sent[4]);

                var tooLong = Assert.Throws<AuroraSecurityException>(() => service.CreateUser(new string('a', 17), "%", AccountSandbox.Secure("x"), true));
                Assert.Equal("AccountUserTooLong", tooLong.ErrorId);
                Assert.Contains("16", tooLong.Message);
            }
            finally
            {
                DropQuietly("svc56", "%");
            }
        }

        [Fact]
        public void UserNamesLongerThanAurorasLimitAreRefusedThoughMariaDbWouldTakeThem()
        {
            using var session = AccountSandbox.Open(server);
            var name = new string('l', 33);
            var error = Assert.Throws<AuroraSecurityException>(() => new AccountService(session).CreateUser(name, "%", AccountSandbox.Secure("x"), true));
            Assert.Equal("AccountUserTooLong", error.ErrorId);
            Assert.False(AccountSandbox.Exists(server, name, "%"));
        }

        [Fact]
        public void ReadUsersStreamsRolesReservedAccountsAndTheMasterUser()
        {
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            var users = service.ReadUsers().ToList();
            var role = Assert.Single(users, u => u.User == "rds_superuser_role");
            Assert.True(role.IsRole);
            Assert.True(role.IsReserved);
            var admin = Assert.Single(users, u => u.User == "admin" && u.Host == "%");
            Assert.False(admin.IsReserved);
            var status = new UserSslStatus(admin, "admin");
            Assert.True(status.IsMasterUser);
            Assert.Equal(admin.RequiresSsl, status.Compliant);
            var rdsadmin = new UserSslStatus(Assert.Single(users, u => u.User == "rdsadmin"), "admin");
            Assert.True(rdsadmin.Compliant);
            Assert.False(rdsadmin.IsMasterUser);
        }

        [Fact]
        public void AChangeWhileTheSessionStreamsGoesOverACompanionConnection()
        {
            using var session = AccountSandbox.Open(server);
            Assert.False(session.IsStreaming);
            using var enumerator = new AccountService(session).ReadUsers().GetEnumerator();
            Assert.True(enumerator.MoveNext());
            Assert.True(session.IsStreaming);
            using (var companion = AccountService.OpenCompanion(session))
            {
                Assert.NotEqual(session.ConnectionId, companion.ConnectionId);
                Assert.True(companion.Encrypted);
                Assert.NotNull(new AccountService(companion).FindUser("admin", "%"));
            }

            while (enumerator.MoveNext())
            {
            }

            Assert.False(session.IsStreaming);
        }

        [Fact]
        public void AnAccountThatMayNotReadMysqlUserGetsAPermissionError()
        {
            DropQuietly("svc_noread", "%");
            server.RunRootSql("CREATE USER 'svc_noread'@'%' IDENTIFIED BY 'NoRead-Pa55' REQUIRE SSL");
            try
            {
                using var session = AccountSandbox.Open(server, "svc_noread", "NoRead-Pa55");
                var error = Assert.Throws<AuroraSecurityException>(() => new AccountService(session).ReadUsers().ToList());
                Assert.Equal("AccountPermissionDenied", error.ErrorId);
                Assert.Contains("1142", error.Message);
            }
            finally
            {
                DropQuietly("svc_noread", "%");
            }
        }

        private void DropQuietly(string user, string host)
        {
            if (AccountSandbox.Exists(server, user, host))
            {
                server.RunRootSql($"DROP USER '{user.Replace("\\", "\\\\").Replace("'", "''")}'@'{host}'");
            }
        }
    }
}
