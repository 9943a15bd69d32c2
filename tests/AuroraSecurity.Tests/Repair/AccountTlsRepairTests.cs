using System.Linq;
using AuroraSecurity.Repair;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Repair
{
    /// <summary>Which accounts a repair of AURSEC-SQL-001 touches: the login accounts the check counts, never reserved accounts or roles.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class AccountTlsRepairTests
    {
        [Fact]
        public void OnlyLoginAccountsWithoutTlsAreChosenInTheOrderRead()
        {
            var accounts = new[]
            {
                new DbUser("app", "%", "mysql_native_password", SslType.None, isRole: false),
                new DbUser("reporting", "10.0.%", "mysql_native_password", SslType.Any, isRole: false),
                new DbUser("rdsadmin", "localhost", "mysql_native_password", SslType.None, isRole: false),
                new DbUser("readers", "%", string.Empty, SslType.None, isRole: true),
                new DbUser("admin", "%", "mysql_native_password", SslType.None, isRole: false),
                new DbUser("iam_app", "%", "AWSAuthenticationPlugin", SslType.None, isRole: false),
                new DbUser("partner", "%", "mysql_native_password", SslType.X509, isRole: false),
            };

            var chosen = AccountTlsRepair.AccountsWithoutTls(accounts, "admin");

            Assert.Equal(new[] { "app", "admin", "iam_app" }, chosen.Select(a => a.User));
            Assert.True(chosen.Single(a => a.User == "admin").IsMasterUser);
            Assert.Empty(AccountTlsRepair.AccountsWithoutTls(accounts.Where(a => a.RequiresSsl), "admin"));
        }
    }
}
