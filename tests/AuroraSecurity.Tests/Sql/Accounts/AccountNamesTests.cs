using AuroraSecurity.Engine;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>Aurora's account-name limits, which MariaDB does not enforce for us.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class AccountNamesTests
    {
        [Theory]
        [InlineData(MySqlCompatibility.MySql80, 32)]
        [InlineData(MySqlCompatibility.MySql57, 32)]
        [InlineData(MySqlCompatibility.MySql56, 16)]
        public void UserNamesStopAtAurorasLimit(MySqlCompatibility compatibility, int limit)
        {
            AccountNames.ValidateUser(new string('u', limit), compatibility);
            var error = Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateUser(new string('u', limit + 1), compatibility));
            Assert.Equal("AccountUserTooLong", error.ErrorId);
            Assert.Contains(limit.ToString(), error.Message);
        }

        [Theory]
        [InlineData(MySqlCompatibility.MySql80, 255)]
        [InlineData(MySqlCompatibility.MySql57, 60)]
        [InlineData(MySqlCompatibility.MySql56, 60)]
        public void HostsStopAtTheServersLimit(MySqlCompatibility compatibility, int limit)
        {
            AccountNames.ValidateHost(new string('h', limit), compatibility);
            Assert.Equal("AccountHostTooLong", Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateHost(new string('h', limit + 1), compatibility)).ErrorId);
        }

        [Theory]
        [InlineData("", "AccountUserEmpty")]
        [InlineData("a\0b", "AccountUserInvalidCharacter")]
        [InlineData("emoji\U0001F600", "AccountUserInvalidCharacter")]
        [InlineData("trailing ", "AccountUserTrailingSpace")]
        public void UnstorableUserNamesAreRefused(string user, string errorId)
        {
            var error = Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateUser(user, MySqlCompatibility.MySql80));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains("No SQL was sent", error.Message);
        }

        [Fact]
        public void ALoneSurrogateIsRefused()
        {
            // Built here rather than in InlineData, whose serialization would replace the lone surrogate.
            var user = "lone" + (char)0xD800;
            Assert.Equal("AccountUserInvalidCharacter", Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateUser(user, MySqlCompatibility.MySql80)).ErrorId);
        }

        [Fact]
        public void HostsAreStoredInLowerCase() => Assert.Equal("db-1.example.com", AccountNames.NormalizeHost("DB-1.Example.COM"));

        [Theory]
        [InlineData("", "AccountHostEmpty")]
        [InlineData("hôte", "AccountHostInvalidCharacter")]
        [InlineData("a\nb", "AccountHostInvalidCharacter")]
        [InlineData("% ", "AccountHostTrailingSpace")]
        public void UnusableHostsAreRefused(string host, string errorId)
        {
            Assert.Equal(errorId, Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateHost(host, MySqlCompatibility.MySql80)).ErrorId);
        }

        [Theory]
        [InlineData(" leading")]
        [InlineData("x'@'%'; DROP USER admin; --")]
        [InlineData("e\u0301t\u00e9 \u4e2d\u6587")]
        [InlineData("%_\\`\"'")]
        public void AwkwardButStorableNamesPass(string user) => AccountNames.ValidateUser(user, MySqlCompatibility.MySql80);

        [Fact]
        public void SixteenCharactersOn56AreCountedAsCharactersNotBytes()
        {
            AccountNames.ValidateUser(new string('\u00e9', 16), MySqlCompatibility.MySql56);
            Assert.Throws<AuroraSecurityException>(() => AccountNames.ValidateUser(new string('\u00e9', 17), MySqlCompatibility.MySql56));
        }
    }
}
