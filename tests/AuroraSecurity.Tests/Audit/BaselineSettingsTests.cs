using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>The baseline's settings: how they are read, and how each changes the verdicts of the checks it reaches.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class BaselineSettingsTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void EverySettingOfTheChecksIsABaselineSettingWithTheChecksDefault()
        {
            var names = BaselineSetting.All.Select(s => s.Name).ToList();
            Assert.Equal(
                new[] { "CertificateWarningDays", "MinimumBackupRetentionDays", "EngineSupportWarningDays", "AllowedCiphers", "AllowedTlsVersions", "AllowedCidrs" },
                names);
            var read = BaselineReader.Read(new Hashtable(), "defaults");
            var settings = read.SettingsFor(new AuroraCluster { ClusterIdentifier = "any" });
            Assert.Equal(7, settings.MinimumBackupRetentionDays);
            Assert.Equal(180, settings.EngineSupportWarningDays);
            Assert.Equal(new[] { "TLSv1.2" }, settings.AllowedTlsVersions);
            Assert.Empty(settings.AllowedCidrs);
        }

        [Fact]
        public void TheNewSettingsAreReadAndNormalised()
        {
            var baseline = BaselineReader.Read(Table(new Hashtable
            {
                ["MinimumBackupRetentionDays"] = 14,
                ["EngineSupportWarningDays"] = "90",
                ["AllowedTlsVersions"] = new object[] { "tlsv1.2", "TLSv1.0", "TLSv1.1" },
                ["AllowedCidrs"] = new object[] { " 10.0.0.0/16 ", "2001:db8::/32" },
            }), "team.psd1");
            var settings = baseline.SettingsFor(new AuroraCluster { ClusterIdentifier = "orders" });
            Assert.Equal(14, settings.MinimumBackupRetentionDays);
            Assert.Equal(90, settings.EngineSupportWarningDays);
            Assert.Equal(new[] { "TLSv1", "TLSv1.1", "TLSv1.2" }, settings.AllowedTlsVersions);
            Assert.Equal(new[] { "10.0.0.0/16", "2001:db8::/32" }, settings.AllowedCidrs);
        }

        [Theory]
        [InlineData("AllowedTlsVersions", "SSLv3", "not a TLS version")]
        [InlineData("AllowedTlsVersions", "TLSv1.1", "TLSv1.2 must be allowed")]
        [InlineData("AllowedCidrs", "10.0.0.0", "not a CIDR block")]
        [InlineData("AllowedCidrs", "10.0.0.1/16", "bits set beyond")]
        [InlineData("AllowedCidrs", "10.0.0.0/33", "prefix length")]
        [InlineData("AllowedCidrs", "example.com/8", "not an IPv4 or IPv6 address")]
        [InlineData("MinimumBackupRetentionDays", "36", "from 1 to 35")]
        public void AMalformedValueIsRefusedNamingTheFileTheKeyAndTheProblem(string name, string value, string problem)
        {
            var e = Assert.ThrowsAny<Exception>(() => BaselineReader.Read(Table(new Hashtable { [name] = value }), "team.psd1"));
            Assert.Contains("team.psd1", e.Message);
            Assert.Contains("Settings." + name, e.Message);
            Assert.Contains(problem, e.Message);
        }

        [Fact]
        public void AllowedTlsVersionsDecideTheTlsVersionCheck()
        {
            var aurora2 = Cluster("5.7.mysql_aurora.2.11.2", 2);
            var tls = AuroraClusterService.BuildTlsConfig(aurora2, Parameters(("tls_version", "TLSv1.1,TLSv1.2"), ("ssl_cipher", "ECDHE-RSA-AES256-GCM-SHA384")));
            Assert.Equal(FindingStatus.Fail, Verdict(SecurityCheckCatalog.TlsVersion, aurora2, tls, new AuditSettings()).Status);
            var lenient = Verdict(SecurityCheckCatalog.TlsVersion, aurora2, tls, new AuditSettings { AllowedTlsVersions = new[] { "TLSv1.1", "TLSv1.2" } });
            Assert.Equal(FindingStatus.Pass, lenient.Status);
            Assert.Contains("AllowedTlsVersions", lenient.Reason);
            var all = AuroraClusterService.BuildTlsConfig(aurora2, Parameters(("tls_version", "TLSv1,TLSv1.1,TLSv1.2"), ("ssl_cipher", "ECDHE-RSA-AES256-GCM-SHA384")));
            var stillTooOld = Verdict(SecurityCheckCatalog.TlsVersion, aurora2, all, new AuditSettings { AllowedTlsVersions = new[] { "TLSv1.1", "TLSv1.2" } });
            Assert.Equal(FindingStatus.Fail, stillTooOld.Status);
            Assert.Contains("TLSv1 allowed", stillTooOld.Reason);
            Assert.DoesNotContain("TLSv1.1 allowed", stillTooOld.Reason);

            // Aurora MySQL 3 has no tls_version: ciphers older than TLS 1.2 are what let TLS 1.0 and 1.1 in.
            var aurora3 = Cluster("8.0.mysql_aurora.3.05.2", 3);
            var oldCiphers = AuroraClusterService.BuildTlsConfig(aurora3, Parameters(("ssl_cipher", "ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES256-SHA")));
            Assert.Equal(FindingStatus.Warning, Verdict(SecurityCheckCatalog.TlsVersion, aurora3, oldCiphers, new AuditSettings()).Status);
            Assert.Equal(FindingStatus.Warning, Verdict(SecurityCheckCatalog.TlsVersion, aurora3, oldCiphers, new AuditSettings { AllowedTlsVersions = new[] { "TLSv1.1", "TLSv1.2" } }).Status);
            Assert.Equal(FindingStatus.Pass, Verdict(SecurityCheckCatalog.TlsVersion, aurora3, oldCiphers, new AuditSettings { AllowedTlsVersions = new[] { "TLSv1", "TLSv1.1", "TLSv1.2" } }).Status);
        }

        [Fact]
        public void AllowedCiphersCountInTheCipherChecksVerdicts()
        {
            var aurora3 = Cluster("8.0.mysql_aurora.3.05.2", 3);
            var tls = AuroraClusterService.BuildTlsConfig(aurora3, Parameters(("ssl_cipher", "ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256,DHE-RSA-AES256-GCM-SHA384")));
            var defaults = new AuditSettings();
            Assert.Equal(FindingStatus.Pass, Verdict(SecurityCheckCatalog.CipherSupport, aurora3, tls, defaults).Status);
            Assert.Equal(FindingStatus.Fail, Verdict(SecurityCheckCatalog.NoDheCipher, aurora3, tls, defaults).Status);

            // The team allows the DHE cipher: not a finding of the DHE check; the cipher the team left out is one of the support check.
            var team = new AuditSettings { AllowedCiphers = new[] { "ECDHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES256-GCM-SHA384" } };
            var dhe = Verdict(SecurityCheckCatalog.NoDheCipher, aurora3, tls, team);
            Assert.Equal(FindingStatus.Pass, dhe.Status);
            Assert.Contains("AllowedCiphers", dhe.Reason);
            var support = Verdict(SecurityCheckCatalog.CipherSupport, aurora3, tls, team);
            Assert.Equal(FindingStatus.Fail, support.Status);
            Assert.Contains("does not: ECDHE-RSA-AES128-GCM-SHA256 (allowed:", support.Reason);
            Assert.Contains("-Cipher ECDHE-RSA-AES256-GCM-SHA384, DHE-RSA-AES256-GCM-SHA384", support.Recommendation);

            // No value: the engine's default list holds ciphers the baseline does not allow.
            var engineDefault = AuroraClusterService.BuildTlsConfig(aurora3, Parameters(("ssl_cipher", null)));
            Assert.Equal(FindingStatus.Pass, Verdict(SecurityCheckCatalog.CipherSupport, aurora3, engineDefault, defaults).Status);
            Assert.Equal(FindingStatus.Fail, Verdict(SecurityCheckCatalog.CipherSupport, aurora3, engineDefault, team).Status);

            var exactly = AuroraClusterService.BuildTlsConfig(aurora3, Parameters(("ssl_cipher", "DHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES256-GCM-SHA384")));
            Assert.Equal(FindingStatus.Pass, Verdict(SecurityCheckCatalog.CipherSupport, aurora3, exactly, team).Status);
            Assert.Equal(FindingStatus.Pass, Verdict(SecurityCheckCatalog.NoDheCipher, aurora3, exactly, team).Status);
        }

        [Fact]
        public void AllowedCidrsDecideWhichIngressRulesAreFindings()
        {
            var cluster = Cluster("8.0.mysql_aurora.3.05.2", 3);
            cluster.Port = 3306;
            cluster.VpcSecurityGroupIds = new[] { "sg-1" };
            var group = new Ec2SecurityGroup
            {
                GroupId = "sg-1",
                IngressRules = new[]
                {
                    new Ec2IngressRule { IpProtocol = "tcp", FromPort = 3306, ToPort = 3306, Ipv4Ranges = new[] { "10.1.0.0/16" } },
                    new Ec2IngressRule { IpProtocol = "tcp", FromPort = 3306, ToPort = 3306, Ipv4Ranges = new[] { "203.0.113.0/24" } },
                },
            };
            var evidence = new ClusterEvidence(cluster, Now) { SecurityGroups = new[] { group } };
            var check = SecurityCheckCatalog.Find(SecurityCheckCatalog.NoOpenSecurityGroup)!;

            // Without AllowedCidrs only the whole internet counts.
            Assert.Equal(FindingStatus.Pass, ClusterChecks.Evaluate(check, evidence).Status);

            evidence.Settings = new AuditSettings { AllowedCidrs = new[] { "10.0.0.0/8" } };
            var outside = ClusterChecks.Evaluate(check, evidence);
            Assert.Equal(FindingStatus.Fail, outside.Status);
            Assert.Contains("203.0.113.0/24", outside.Reason);
            Assert.DoesNotContain("10.1.0.0/16", outside.Reason);

            evidence.Settings = new AuditSettings { AllowedCidrs = new[] { "10.0.0.0/8", "203.0.113.0/24" } };
            Assert.Equal(FindingStatus.Pass, ClusterChecks.Evaluate(check, evidence).Status);

            // The whole internet, allowed on purpose (a public demo cluster), is not a finding either.
            var open = new Ec2SecurityGroup { GroupId = "sg-1", IngressRules = new[] { new Ec2IngressRule { IpProtocol = "tcp", FromPort = 3306, ToPort = 3306, Ipv4Ranges = new[] { "0.0.0.0/0" } } } };
            var openEvidence = new ClusterEvidence(cluster, Now) { SecurityGroups = new[] { open } };
            Assert.Equal(FindingStatus.Fail, ClusterChecks.Evaluate(check, openEvidence).Status);
            openEvidence.Settings = new AuditSettings { AllowedCidrs = new[] { "0.0.0.0/0" } };
            Assert.Equal(FindingStatus.Pass, ClusterChecks.Evaluate(check, openEvidence).Status);
        }

        [Theory]
        [InlineData("10.0.0.0/8", "10.1.2.0/24", true)]
        [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
        [InlineData("10.0.0.0/8", "11.0.0.0/24", false)]
        [InlineData("10.1.0.0/16", "10.0.0.0/8", false)]
        [InlineData("0.0.0.0/0", "192.0.2.7/32", true)]
        [InlineData("2001:db8::/32", "2001:db8:1::/48", true)]
        [InlineData("2001:db8::/32", "2001:db9::/48", false)]
        [InlineData("0.0.0.0/0", "::/0", false)]
        public void ACidrBlockContainsTheNetworksInsideIt(string outer, string inner, bool contains)
        {
            Assert.True(CidrBlock.TryParse(outer, out var a, out _));
            Assert.True(CidrBlock.TryParse(inner, out var b, out _));
            Assert.Equal(contains, a!.Contains(b!));
        }

        [Fact]
        public void TheStartingFileListsEverySettingAtItsDefault()
        {
            var text = BaselineTemplate.PowerShellDataFile(Now);
            Assert.Contains("MinimumBackupRetentionDays = 7", text);
            Assert.Contains("EngineSupportWarningDays = 180", text);
            Assert.Contains("AllowedTlsVersions = @('TLSv1.2')", text);
            Assert.Contains("AllowedCidrs = @()", text);
        }

        private static Hashtable Table(Hashtable settings) => new Hashtable { ["Settings"] = settings };

        private static AuroraCluster Cluster(string engineVersion, int major) =>
            new AuroraCluster { ClusterIdentifier = "c", Engine = "aurora-mysql", EngineVersion = engineVersion, AuroraMajorVersion = major, ParameterGroupName = "team-group", Region = "us-east-1" };

        private static IReadOnlyList<RdsParameter> Parameters(params (string Name, string? Value)[] values) =>
            new[] { new RdsParameter("require_secure_transport", "1") { Source = "user" } }
                .Concat(values.Select(v => new RdsParameter(v.Name, v.Value) { Source = v.Value == null ? "engine-default" : "user" }))
                .ToList();

        private static Finding Verdict(string checkId, AuroraCluster cluster, AuroraTlsConfig tls, AuditSettings settings) =>
            ClusterChecks.Evaluate(SecurityCheckCatalog.Find(checkId)!, new ClusterEvidence(cluster, Now, settings) { TlsConfig = tls });
    }
}
