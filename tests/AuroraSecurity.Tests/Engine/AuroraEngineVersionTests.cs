using System;
using AuroraSecurity.Engine;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Engine
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class AuroraEngineVersionTests
    {
        [Theory]
        [InlineData("5.6.10a", 1, "5.6", "1.0.0", false)]
        [InlineData("5.6.mysql_aurora.1.22.2", 1, "5.6", "1.22.2", true)]
        [InlineData("5.7.mysql_aurora.2.11.2", 2, "5.7", "2.11.2", true)]
        [InlineData("5.7.mysql_aurora.2.07.9", 2, "5.7", "2.7.9", true)]
        [InlineData("8.0.mysql_aurora.3.05.2", 3, "8.0", "3.5.2", true)]
        [InlineData("2.11.2", 2, "5.7", "2.11.2", true)]
        [InlineData("3.05.2", 3, "8.0", "3.5.2", true)]
        [InlineData(" 3.01.0 ", 3, "8.0", "3.1.0", true)]
        public void ParsesEveryFormAuroraReports(string text, int major, string mysql, string comparable, bool exact)
        {
            var version = AuroraEngineVersion.Parse(text);

            Assert.Equal(major, version.AuroraMajorVersion);
            Assert.Equal(mysql, version.MySqlCompatibility.ToVersionText());
            Assert.Equal(Version.Parse(comparable), version.Version);
            Assert.Equal(exact, version.IsExact);
        }

        [Theory]
        [InlineData("8.0.mysql_aurora.3.05.2", "3.05.2")]
        [InlineData("2.11.2", "2.11.2")]
        public void KeepsAwsSpellingOfTheAuroraRelease(string text, string aurora) =>
            Assert.Equal(aurora, AuroraEngineVersion.Parse(text).AuroraVersion);

        [Theory]
        [InlineData("8.0.mysql_aurora.3.05.2", "aurora-mysql8.0")]
        [InlineData("5.7.mysql_aurora.2.11.2", "aurora-mysql5.7")]
        [InlineData("5.6.10a", "aurora5.6")]
        public void KnowsTheParameterGroupFamily(string text, string family) =>
            Assert.Equal(family, AuroraEngineVersion.Parse(text).ParameterGroupFamily);

        [Theory]
        [InlineData("")]
        [InlineData("8.0.32")]
        [InlineData("4.01.0")]
        [InlineData("aurora")]
        [InlineData("5.7.mysql_aurora.3.05.2")]
        [InlineData("8.0.mysql_aurora.2.11.2")]
        [InlineData("2.11")]
        [InlineData("10.11.6-MariaDB")]
        public void RefusesOtherTextNamingTheAcceptedForms(string text)
        {
            var error = Assert.Throws<FormatException>(() => AuroraEngineVersion.Parse(text));

            Assert.Contains("5.7.mysql_aurora.2.11.2", error.Message);
            Assert.Contains("3.05.2", error.Message);
        }

        [Fact]
        public void ComparesNumericallyNotAsText()
        {
            Assert.True(AuroraEngineVersion.Parse("2.10.2").CompareTo(AuroraEngineVersion.Parse("2.9.3")) > 0);
            Assert.True(AuroraEngineVersion.Parse("3.05.2").IsAtLeast("3.01.0"));
            Assert.False(AuroraEngineVersion.Parse("2.09.2").IsAtLeast("2.09.3"));
            Assert.Equal(AuroraEngineVersion.Parse("3.5.2"), AuroraEngineVersion.Parse("8.0.mysql_aurora.3.05.2"));
        }
    }
}
