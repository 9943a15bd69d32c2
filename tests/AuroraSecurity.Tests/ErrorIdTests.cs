using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests
{
    /// <summary>
    /// One error contract: every failure the product raises has one stable error id, raised from one place in the code,
    /// and every exception the engine throws on purpose belongs to the AuroraSecurityException family.
    /// </summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class ErrorIdTests
    {
        private static readonly Lazy<Dictionary<string, string>> Sources = new Lazy<Dictionary<string, string>>(() =>
            Directory.EnumerateFiles(Path.Combine(SandboxServer.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) &&
                            !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .ToDictionary(f => Path.GetRelativePath(SandboxServer.RepoRoot, f), File.ReadAllText));

        [Fact]
        public void TheListOfIdsIsReadFromTheCode()
        {
            var ids = ErrorIds();
            Assert.True(ids.Count >= 50, $"only {ids.Count} error ids found; the patterns below no longer see how ids are raised");
            foreach (var known in new[] { "SqlAccessDenied", "ClusterNotFound", "AwsConfiguration", "AwsCredentialsUnavailable", "TlsCipherUnknown", "AccountNotFound", "UnexpectedFailure" })
            {
                Assert.Contains(known, ids);
            }
        }

        [Fact]
        public void EveryErrorIdIsRaisedFromExactlyOnePlace()
        {
            var problems = new List<string>();
            foreach (var id in ErrorIds().OrderBy(i => i, StringComparer.Ordinal))
            {
                var places = Sources.Value
                    .SelectMany(s => Regex.Matches(s.Value, "\"" + id + "\"").Cast<Match>().Select(_ => s.Key))
                    .ToList();
                if (places.Count != 1)
                {
                    problems.Add($"{id}: {places.Count} places ({string.Join(", ", places.Distinct())}); raise it from one method (a factory) and call that");
                }

                if (!Regex.IsMatch(id, "^[A-Z][A-Za-z0-9]+$")) problems.Add($"{id}: error ids are PascalCase words");
            }

            Assert.True(problems.Count == 0, "One failure, one id, one place:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void OnlyAuroraCmdletBuildsErrorRecords()
        {
            var builders = Sources.Value.Where(s => s.Value.Contains("new ErrorRecord(", StringComparison.Ordinal)).Select(s => Path.GetFileName(s.Key)).ToList();
            Assert.Equal(new[] { "AuroraCmdlet.cs" }, builders);
        }

        [Fact]
        public void EveryEngineExceptionBelongsToTheFamily()
        {
            var outside = typeof(AuroraSecurityException).Assembly.GetTypes()
                .Where(t => typeof(Exception).IsAssignableFrom(t) && !typeof(AuroraSecurityException).IsAssignableFrom(t))
                .Select(t => t.FullName)
                .ToList();
            Assert.True(outside.Count == 0, "Exceptions outside the AuroraSecurityException family: " + string.Join(", ", outside));
        }

        // Ids are the literal given with a FailureKind ("Id", FailureKind.X), a constant named ...Id, the literal given to a
        // factory that passes its first string on as the id, or an id AuroraCmdlet gives to a failure from outside the family.
        private static HashSet<string> ErrorIds()
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in Sources.Value)
            {
                foreach (Match m in Regex.Matches(source.Value, "\"(\\w+)\",\\s*FailureKind\\.")) ids.Add(m.Groups[1].Value);
                foreach (Match m in Regex.Matches(source.Value, "new ErrorRecord\\(\\w+,\\s*\"(\\w+)\"")) ids.Add(m.Groups[1].Value);
                foreach (Match m in Regex.Matches(source.Value, "const string \\w+Id = \"(\\w+)\";")) ids.Add(m.Groups[1].Value);
                foreach (Match factory in Regex.Matches(source.Value, "(\\w+)\\(string (\\w+)[^)]*\\)\\s*=>\\s*new \\w*Exception\\(\\2,"))
                {
                    foreach (Match m in Regex.Matches(source.Value, "\\b" + factory.Groups[1].Value + "\\(\\s*\"(\\w+)\"")) ids.Add(m.Groups[1].Value);
                }
            }

            return ids;
        }
    }
}
