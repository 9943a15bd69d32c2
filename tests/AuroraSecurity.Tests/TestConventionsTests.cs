using System;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests
{
    /// <summary>
    /// Every test says what it needs (the trait <c>Needs</c>, on its class or on itself) and is named as one PascalCase
    /// sentence, so the UnitTest task can choose tests by need and a failing test's name reads as what broke.
    /// </summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class TestConventionsTests
    {
        private static readonly string[] KnownNeeds = { Needs.Nothing, Needs.MariaDb, Needs.RdsDouble, Needs.AwsCli };

        private static readonly Regex SentenceName = new Regex("^[A-Z][A-Za-z0-9]*$");

        private static MethodInfo[] TestMethods() =>
            typeof(TestConventionsTests).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
                .ToArray();

        private static string[] NeedsOf(MemberInfo member) =>
            member.GetCustomAttributesData()
                    .Where(d => d.AttributeType == typeof(TraitAttribute) && (string?)d.ConstructorArguments[0].Value == Needs.Key)
                    .Select(d => (string)d.ConstructorArguments[1].Value!)
                    .ToArray();

        [Fact]
        public void ThereAreTestsToCheck()
        {
            Assert.True(TestMethods().Length > 100, "the reflection finds the suite's tests");
        }

        [Fact]
        public void EveryTestSaysWhatItNeeds()
        {
            var untagged = TestMethods()
                .Where(m => NeedsOf(m).Length == 0 && NeedsOf(m.DeclaringType!).Length == 0)
                .Select(m => m.DeclaringType!.Name + "." + m.Name)
                .ToList();
            Assert.True(untagged.Count == 0, "Tag these with [Trait(Needs.Key, Needs.…)]: " + string.Join(", ", untagged));
        }

        [Fact]
        public void EveryNeedIsOneTheBuildKnows()
        {
            var unknown = TestMethods()
                .SelectMany(m => NeedsOf(m).Concat(NeedsOf(m.DeclaringType!)).Select(n => (Test: m.DeclaringType!.Name + "." + m.Name, Need: n)))
                .Where(x => !KnownNeeds.Contains(x.Need))
                .Select(x => $"{x.Test} ({x.Need})")
                .Distinct()
                .ToList();
            Assert.True(unknown.Count == 0, "Unknown needs: " + string.Join(", ", unknown));
        }

        [Fact]
        public void EveryTestIsNamedAsOnePascalCaseSentence()
        {
            var misnamed = TestMethods()
                .Where(m => !SentenceName.IsMatch(m.Name))
                .Select(m => m.DeclaringType!.Name + "." + m.Name)
                .ToList();
            Assert.True(misnamed.Count == 0, "Name these as one PascalCase sentence, without underscores: " + string.Join(", ", misnamed));
        }
    }
}
