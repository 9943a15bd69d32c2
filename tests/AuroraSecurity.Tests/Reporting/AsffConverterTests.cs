using System;
using System.Collections.Specialized;
using System.Linq;
using System.Text.Json;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Reporting;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Reporting
{
    /// <summary>ASFF conversion: ids, accounts, partitions, limits and the JSON it writes.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class AsffConverterTests
    {
        private static readonly DateTime Evaluated = new DateTime(2026, 11, 29, 12, 30, 15, 250, DateTimeKind.Utc);

        private static Finding Finding(string? arn = "arn:aws:rds:eu-west-1:123456789012:cluster:orders", string region = "eu-west-1", FindingStatus status = FindingStatus.Fail) => new Finding
        {
            CheckId = SecurityCheckCatalog.RequireSecureTransport,
            Title = "Connections must use TLS (require_secure_transport)",
            Severity = FindingSeverity.High,
            Status = status,
            Reason = "require_secure_transport is OFF.",
            Recommendation = status == FindingStatus.Fail ? "Enable-AuroraSecureTransport -ClusterIdentifier orders" : string.Empty,
            ClusterIdentifier = "orders",
            DBClusterArn = arn,
            Region = region,
            Timestamp = Evaluated,
        };

        [Theory]
        [InlineData("eu-west-1", "aws")]
        [InlineData("cn-north-1", "aws-cn")]
        [InlineData("cn-northwest-1", "aws-cn")]
        [InlineData("us-gov-west-1", "aws-us-gov")]
        [InlineData("us-gov-east-1", "aws-us-gov")]
        [InlineData("us-iso-east-1", "aws-iso")]
        [InlineData("us-isob-east-1", "aws-iso-b")]
        public void PartitionFollowsTheRegion(string region, string partition)
        {
            Assert.Equal(partition, AwsPartition.OfRegion(region));
            var asff = new AsffConverter("111122223333").Convert(Finding(arn: null, region: region));
            Assert.Equal($"arn:{partition}:securityhub:{region}:111122223333:product/111122223333/default", asff["ProductArn"]);
            Assert.Equal($"arn:{partition}:rds:{region}:111122223333:cluster:orders/AURSEC-TLS-001", asff["Id"]);
        }

        [Fact]
        public void AccountComesFromTheArnBeforeTheParameter()
        {
            var asff = new AsffConverter("111122223333").Convert(Finding());
            Assert.Equal("123456789012", asff["AwsAccountId"]);
            Assert.Equal("arn:aws:rds:eu-west-1:123456789012:cluster:orders/AURSEC-TLS-001", asff["Id"]);
        }

        [Fact]
        public void NoAccountIsAnErrorThatSaysWhatToGive()
        {
            var e = Assert.Throws<AuroraSecurityException>(() => new AsffConverter().Convert(Finding(arn: null)));
            Assert.Equal("AsffAccountIdUnknown", e.ErrorId);
            Assert.Contains("-AwsAccountId", e.Message);
            Assert.Equal("AsffAccountIdInvalid", Assert.Throws<AuroraSecurityException>(() => new AsffConverter("12-34")).ErrorId);
        }

        [Fact]
        public void IdDoesNotDependOnTimeStatusOrText()
        {
            var converter = new AsffConverter();
            var first = Finding();
            var later = Finding(status: FindingStatus.Pass);
            later.Timestamp = Evaluated.AddDays(1);
            later.Reason = "require_secure_transport is ON.";
            Assert.Equal(converter.Convert(first)["Id"], converter.Convert(later)["Id"]);
            Assert.NotEqual(converter.Convert(first)["UpdatedAt"], converter.Convert(later)["UpdatedAt"]);
        }

        [Fact]
        public void TimesAreUtcWithMillisecondsAndCreatedAtIsTheCallersChoice()
        {
            var asff = new AsffConverter().Convert(Finding());
            Assert.Equal("2026-11-29T12:30:15.250Z", asff["UpdatedAt"]);
            Assert.Equal(asff["UpdatedAt"], asff["CreatedAt"]);
            var created = new AsffConverter(createdAt: new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)).Convert(Finding());
            Assert.Equal("2026-11-01T00:00:00.000Z", created["CreatedAt"]);
            Assert.Equal("2026-11-29T12:30:15.250Z", created["UpdatedAt"]);
        }

        [Theory]
        [InlineData(FindingStatus.Pass, "PASSED", "INFORMATIONAL")]
        [InlineData(FindingStatus.Fail, "FAILED", "HIGH")]
        [InlineData(FindingStatus.Warning, "WARNING", "HIGH")]
        [InlineData(FindingStatus.NotApplicable, "NOT_AVAILABLE", "INFORMATIONAL")]
        [InlineData(FindingStatus.Error, "NOT_AVAILABLE", "HIGH")]
        public void StatusMapsToComplianceAndSeverity(FindingStatus status, string compliance, string label)
        {
            var asff = new AsffConverter().Convert(Finding(status: status));
            Assert.Equal(compliance, ((OrderedDictionary)asff["Compliance"]!)["Status"]);
            Assert.Equal(label, ((OrderedDictionary)asff["Severity"]!)["Label"]);
            Assert.Equal("High", ((OrderedDictionary)asff["Severity"]!)["Original"]);
        }

        [Fact]
        public void PassedFindingStillCarriesTheChecksRecommendation()
        {
            var asff = new AsffConverter().Convert(Finding(status: FindingStatus.Pass));
            var text = ((OrderedDictionary)((OrderedDictionary)asff["Remediation"]!)["Recommendation"]!)["Text"];
            Assert.Equal("Enable-AuroraSecureTransport -ClusterIdentifier orders", text);
        }

        [Fact]
        public void RelatedRequirementsAreTheChecksReferencesAndLeftOutWhereThereAreNone()
        {
            var storage = Finding();
            storage.CheckId = SecurityCheckCatalog.StorageEncrypted;
            var compliance = (OrderedDictionary)new AsffConverter().Convert(storage)["Compliance"]!;
            Assert.Equal(new[] { "FSBP RDS.27", "CIS v3.0.0 2.3.1", "Prowler rds_cluster_storage_encrypted" }, (string[])compliance["RelatedRequirements"]!);

            // Every check with references carries them all, in the catalogue's order.
            foreach (var check in SecurityCheckCatalog.All)
            {
                var finding = Finding();
                finding.CheckId = check.Id;
                var related = ((OrderedDictionary)new AsffConverter().Convert(finding)["Compliance"]!)["RelatedRequirements"] as string[];
                if (check.References.Count == 0) Assert.Null(related);
                else Assert.Equal(check.References.Select(r => r.ToString()), related);
            }
        }

        [Fact]
        public void ClusterDetailsHoldOnlyWhatTheAuditRead()
        {
            var finding = Finding();
            var bare = Resource(new AsffConverter().Convert(finding));
            Assert.Equal(new[] { "DbClusterIdentifier" }, bare.Keys.Cast<string>());

            finding.Cluster = new AuroraCluster
            {
                ClusterIdentifier = "orders",
                Engine = "aurora-mysql",
                EngineVersion = "8.0.mysql_aurora.3.05.2",
                Port = 3306,
                ParameterGroupName = "secure",
                StorageEncrypted = true,
                Members = new[] { new AuroraClusterMember("orders-1", true, "in-sync"), new AuroraClusterMember("orders-2", false, null) },
            };
            var details = Resource(new AsffConverter().Convert(finding));
            Assert.Equal("aurora-mysql", details["Engine"]);
            Assert.Equal(3306, details["Port"]);
            Assert.False(details.Contains("Endpoint"), "an endpoint RDS did not report is left out, not written empty");
            var members = (object[])details["DbClusterMembers"]!;
            Assert.Equal(2, members.Length);
            Assert.False(((OrderedDictionary)members[1]).Contains("DbClusterParameterGroupStatus"));
        }

        [Fact]
        public void LongTextsAreCutToTheAsffLimits()
        {
            var finding = Finding();
            finding.Title = new string('t', 300);
            finding.Reason = new string('r', 2000);
            finding.Recommendation = new string('c', 600);
            var asff = new AsffConverter().Convert(finding);
            Assert.Equal(256, ((string)asff["Title"]!).Length);
            Assert.Equal(1024, ((string)asff["Description"]!).Length);
            Assert.EndsWith("…", (string)asff["Description"]!);
        }

        [Fact]
        public void BatchesHoldAtMost100()
        {
            var converter = new AsffConverter();
            var all = Enumerable.Range(0, 230).Select(_ => converter.Convert(Finding())).ToList();
            Assert.Equal(new[] { 100, 100, 30 }, AsffConverter.Batch(all).Select(b => b.Count));
            Assert.Equal(new[] { 50, 50, 50, 50, 30 }, AsffConverter.Batch(all, 50).Select(b => b.Count));
            Assert.Throws<AuroraSecurityException>(() => AsffConverter.Batch(all, 101).ToList());
        }

        [Fact]
        public void BatchDocumentIsJsonThatParsesBackToTheSameValues()
        {
            var finding = Finding();
            finding.Reason = "quote \" backslash \\ newline \n tag </script><!-- \u2028 tab \t ctrl \u0001 ünïcode";
            var document = AsffConverter.BatchDocument(new[] { new AsffConverter().Convert(finding) });
            Assert.DoesNotContain("</script>", document);
            Assert.DoesNotContain("<!--", document);
            using var json = JsonDocument.Parse(document);
            var parsed = json.RootElement.GetProperty("Findings")[0];
            Assert.StartsWith(finding.Reason, parsed.GetProperty("Description").GetString());
            Assert.Equal("2018-10-08", parsed.GetProperty("SchemaVersion").GetString());
            Assert.Equal(JsonValueKind.Array, parsed.GetProperty("Resources").ValueKind);
        }

        private static OrderedDictionary Resource(OrderedDictionary asff)
        {
            var resource = (OrderedDictionary)((object[])asff["Resources"]!)[0];
            return (OrderedDictionary)((OrderedDictionary)resource["Details"]!)["AwsRdsDbCluster"]!;
        }
    }
}
