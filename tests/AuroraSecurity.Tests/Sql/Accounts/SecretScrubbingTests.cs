using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>Server messages quote statements near an error; a password in them must not reach the user.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class SecretScrubbingTests
    {
        [Theory]
        [InlineData("You have an error in your SQL syntax near 'Tr0ub4dor&3' at line 1", "Tr0ub4dor&3")]
        [InlineData("syntax error near 'it''s-a-secret' at line 1", "it's-a-secret")]
        [InlineData("syntax error near 'back\\\\slash-secret' at line 1", "back\\slash-secret")]
        [InlineData("syntax error near 'Tr0ub4d' at line 1", "Tr0ub4dor&3")]
        public void ThePasswordNeverSurvives(string message, string secret)
        {
            var scrubbed = SqlSecrets.Scrub(message, secret);
            Assert.DoesNotContain(secret, scrubbed);
            Assert.DoesNotContain(secret.Substring(0, 4), scrubbed);
        }

        [Fact]
        public void MessagesWithoutTheSecretStayAsTheyAre() =>
            Assert.Equal("Operation CREATE USER failed for 'a'@'%'", SqlSecrets.Scrub("Operation CREATE USER failed for 'a'@'%'", "Pa55-word"));
    }
}
