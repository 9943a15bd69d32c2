using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AuroraSecurity.Sql.Accounts;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>
    /// Thousands of hostile names over one session: each either round-trips exactly (create, read back, drop) or is
    /// refused before any SQL; the general log shows that the server received exactly the intended statements.
    /// </summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class HostileNameCorpusTests
    {
        private const string Password = "Corpus-Pa55";

        private static readonly string[] HostileHosts = { "%", "10.0.%", "a'b", "x`y", "h\\", "%_%", "'; DROP USER admin; --", "host\"name", "::1", "192.168.0.0/255.255.255.0" };

        private static readonly HashSet<string> PreSqlRefusals = new HashSet<string>(StringComparer.Ordinal)
        {
            "ReservedAccount", "AccountUserEmpty", "AccountUserInvalidCharacter", "AccountUserTrailingSpace", "AccountUserTooLong",
        };

        private readonly SandboxServer server;
        private readonly ITestOutputHelper output;

        public HostileNameCorpusTests(SandboxFixture fixture, ITestOutputHelper output)
        {
            server = fixture.Server;
            this.output = output;
        }

        [Fact]
        public void EveryNameRoundTripsExactlyOrIsRefusedBeforeSqlAndNothingElseRuns()
        {
            var corpus = HostileNameCorpus.Generate(2200);
            Assert.True(corpus.Count >= 2000);
            using var session = AccountSandbox.Open(server);
            var service = new AccountService(session);
            var baseline = service.ReadUsers().Select(u => (u.User, u.Host)).ToHashSet();

            var clock = Stopwatch.StartNew();
            var log = GeneralLog.Mark(server);
            var created = new List<(string Category, string User, string Host)>();
            var refused = new List<(string Category, string User, string ErrorId)>();
            var serverRejected = new List<string>();
            for (var i = 0; i < corpus.Count; i++)
            {
                var (category, user) = corpus[i];
                var host = HostileHosts[i % HostileHosts.Length];
                Assert.DoesNotContain((user, host), baseline);
                try
                {
                    service.CreateUser(user, host, AccountSandbox.Secure(Password), requireSsl: true);
                    // The server lower-cases the host part of an account (MySQL does too), and so does the module before sending.
                    created.Add((category, user, host.ToLowerInvariant()));
                }
                catch (AuroraSecurityException error) when (PreSqlRefusals.Contains(error.ErrorId))
                {
                    Assert.Contains("No SQL was sent", error.Message);
                    Assert.DoesNotContain(Password, error.Message);
                    refused.Add((category, user, error.ErrorId));
                }
                catch (AuroraSecurityException error)
                {
                    serverRejected.Add($"{category} {AccountSandbox.Hex(user)}: {error.ErrorId} {error.Message}");
                }
            }

            Assert.Empty(serverRejected);

            // Read back through what Get-AuroraDbUser uses: every created name, exactly, and no refused one.
            var after = service.ReadUsers().Select(u => (u.User, u.Host)).ToHashSet();
            foreach (var (category, user, host) in created)
            {
                Assert.True(after.Contains((user, host)), $"{category} name {AccountSandbox.Hex(user)}@{host} did not read back identically");
            }

            Assert.Equal(baseline.Count + created.Count, after.Count);
            foreach (var (_, user, _) in refused)
            {
                Assert.Equal(baseline.Count(b => b.User == user), after.Count(a => a.User == user));
            }

            foreach (var (_, user, host) in created)
            {
                service.DropUser(user, host);
            }

            var final = service.ReadUsers().Select(u => (u.User, u.Host)).ToHashSet();
            Assert.True(baseline.SetEquals(final), "the accounts after the run differ from those before it");
            output.WriteLine($"{corpus.Count} names: {created.Count} round-tripped, {refused.Count} refused before SQL, in {clock.Elapsed.TotalSeconds:0.0} s");

            AssertTheLogHoldsExactlyTheIntendedStatements(log, session.ConnectionId, created);
            AssertPerCategory(created, refused);
            Assert.Contains(created, c => c.Host == "'; drop user admin; --");
            Assert.True(AccountSandbox.Exists(server, "admin", "%"));
            Assert.True(AccountSandbox.Exists(server, "rdsadmin", "localhost"));
        }

        private void AssertTheLogHoldsExactlyTheIntendedStatements(GeneralLog log, long thread, List<(string Category, string User, string Host)> created)
        {
            var expectedCount = (2 * created.Count) + 2;
            var entries = log.EntriesOf(thread, e => e.Count >= expectedCount);
            Assert.All(entries, e => Assert.Equal("Query", e.Command));
            Assert.Equal(expectedCount, entries.Count);
            var read = AccountStatements.SelectUsers(AuroraSecurity.Sql.ServerKind.MariaDb, AuroraSecurity.Engine.MySqlCompatibility.MySql80);
            for (var i = 0; i < created.Count; i++)
            {
                AssertNames(entries[i].Argument, "CREATE USER ", $" IDENTIFIED BY '{Password}' REQUIRE SSL", created[i]);
                AssertNames(entries[created.Count + 1 + i].Argument, "DROP USER ", string.Empty, created[i]);
            }

            Assert.Equal(read, entries[created.Count].Argument);
            Assert.Equal(read, entries[entries.Count - 1].Argument);
        }

        private static void AssertNames(string statement, string verb, string tail, (string Category, string User, string Host) intended)
        {
            Assert.StartsWith(verb, statement, StringComparison.Ordinal);
            var position = verb.Length;
            Assert.True(MySqlLiteral.TryReadAccount(statement, ref position, out var user, out var host), $"no account literal in a logged {verb}for {intended.Category}");
            Assert.Equal(intended.User, user);
            Assert.Equal(intended.Host, host);
            Assert.Equal(tail, statement.Substring(position));
        }

        private static void AssertPerCategory(List<(string Category, string User, string Host)> created, List<(string Category, string User, string ErrorId)> refused)
        {
            string? Outcome(string user) =>
                created.Any(c => c.User == user) ? "created" : refused.Where(r => r.User == user).Select(r => r.ErrorId).FirstOrDefault();

            Assert.Equal("AccountUserEmpty", Outcome(string.Empty));
            Assert.All(refused.Where(r => r.Category == "reserved"), r => Assert.Equal("ReservedAccount", r.ErrorId));
            Assert.DoesNotContain(created, c => c.Category == "reserved");
            Assert.All(created.Where(c => c.Category == "lookalike"), _ => { });
            Assert.Equal(11, created.Count(c => c.Category == "lookalike"));
            Assert.DoesNotContain(created, c => c.Category == "astral");
            Assert.All(refused.Where(r => r.Category == "astral"), r => Assert.Equal("AccountUserInvalidCharacter", r.ErrorId));
            Assert.Equal("created", Outcome("x'@'%'; DROP USER admin; --"));
            Assert.Equal("created", Outcome("\\'; DROP USER admin; --"));
            Assert.Equal("created", Outcome("x\r\nDROP USER admin"));
            Assert.Equal("AccountUserInvalidCharacter", Outcome("x\u0000y"));
            Assert.Equal("created", Outcome(new string('L', 32)));
            Assert.Equal("AccountUserTooLong", Outcome(new string('L', 33)));
            Assert.Equal("created", Outcome(new string('\u00e9', 32)));
            Assert.Equal("AccountUserTooLong", Outcome(new string('\u00e9', 129)));
            Assert.Equal("AccountUserTrailingSpace", Outcome("trailing "));
            Assert.Equal("AccountUserTrailingSpace", Outcome(" "));
            Assert.Equal("created", Outcome(" leading"));
            Assert.Equal("created", Outcome("e\u0301"));
            Assert.Equal("created", Outcome("\ufeff"));
            Assert.True(created.Count(c => c.Category == "random") > 1000, "most random names are storable and must round-trip");
            Assert.True(refused.Count(r => r.Category == "random") > 100, "random names with emoji or NUL must be refused");
        }
    }
}
