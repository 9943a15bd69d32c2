using AuroraSecurity.Clusters;
using AuroraSecurity.Engine;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Engine
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class MySqlCompatibilityTests
    {
        [Theory]
        [InlineData("5.6.10a", MySqlCompatibility.MySql56)]
        [InlineData("5.7.12", MySqlCompatibility.MySql57)]
        [InlineData("5.7", MySqlCompatibility.MySql57)]
        [InlineData("8.0.32", MySqlCompatibility.MySql80)]
        [InlineData("8.0.mysql_aurora.3.05.2", MySqlCompatibility.MySql80)]
        [InlineData(" 8.0.28-log", MySqlCompatibility.MySql80)]
        public void ReadsTheReleaseAVersionStartsWith(string text, MySqlCompatibility expected) =>
            Assert.Equal(expected, MySqlCompatibilities.FromVersionPrefix(text));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("5.70.1")]
        [InlineData("8.01")]
        [InlineData("10.11.6-MariaDB")]
        [InlineData("3.05.2")]
        public void NamesNoReleaseForOtherText(string? text) =>
            Assert.Null(MySqlCompatibilities.FromVersionPrefix(text));

        [Theory]
        [InlineData(1, MySqlCompatibility.MySql56, "5.6", "aurora5.6")]
        [InlineData(2, MySqlCompatibility.MySql57, "5.7", "aurora-mysql5.7")]
        [InlineData(3, MySqlCompatibility.MySql80, "8.0", "aurora-mysql8.0")]
        public void OneMappingBetweenMajorReleaseAndFamily(int major, MySqlCompatibility compatibility, string release, string family)
        {
            Assert.Equal(compatibility, MySqlCompatibilities.OfAuroraMajor(major));
            Assert.Equal(major, compatibility.AuroraMajor());
            Assert.Equal(release, compatibility.ToVersionText());
            Assert.Equal(family, compatibility.ParameterGroupFamily());
        }

        [Theory]
        [InlineData("aurora-mysql", "5.7.12", 2)]
        [InlineData("aurora-mysql", "8.0.mysql_aurora.3.04.1", 3)]
        [InlineData("aurora-mysql", "5.7.mysql_aurora.2.11.2", 2)]
        [InlineData("aurora", "5.6.10a", 1)]
        [InlineData("aurora-mysql", "5.70.1", null)]
        [InlineData("aurora-mysql", null, null)]
        public void ClustersReadTheirMajorVersionThroughTheSameParsers(string engine, string? engineVersion, int? major) =>
            Assert.Equal(major, AuroraCluster.MajorVersionOf(engine, engineVersion));
    }
}
