using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text.RegularExpressions;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Reporting
{
    /// <summary>
    /// Turns audit findings into the AWS Security Finding Format (ASFF 2018-10-08) that Security Hub's BatchImportFindings takes.
    /// Ids depend only on partition, region, account, cluster and check, so importing a later run updates the same findings.
    /// </summary>
    public sealed class AsffConverter
    {
        /// <summary>The ASFF schema version Security Hub accepts.</summary>
        public const string SchemaVersion = "2018-10-08";

        /// <summary>The most findings one BatchImportFindings call takes.</summary>
        public const int MaxBatchSize = 100;

        /// <summary>The finding type every check reports under (namespace/category).</summary>
        public const string FindingType = "Software and Configuration Checks/AWS Security Best Practices";

        private const int TitleLimit = 256;
        private const int DescriptionLimit = 1024;
        private const int RecommendationLimit = 512;
        private const int RequirementLimit = 32;
        private static readonly Regex AccountPattern = new Regex("^[0-9]{12}$", RegexOptions.CultureInvariant);

        /// <summary>Creates a converter.</summary>
        /// <param name="awsAccountId">The account for findings whose cluster ARN does not name one; null to require ARNs.</param>
        /// <param name="createdAt">CreatedAt for every finding; null to use each finding's evaluation time (UpdatedAt).</param>
        public AsffConverter(string? awsAccountId = null, DateTime? createdAt = null)
        {
            if (awsAccountId != null && !AccountPattern.IsMatch(awsAccountId))
            {
                throw new AuroraSecurityException("AsffAccountIdInvalid", FailureKind.InvalidArgument,
                    $"'{awsAccountId}' is not an AWS account id: give the 12 digits of the account (for example 123456789012).");
            }

            AwsAccountId = awsAccountId;
            CreatedAt = createdAt?.ToUniversalTime();
        }

        public string? AwsAccountId { get; }

        public DateTime? CreatedAt { get; }

        /// <summary>The ASFF finding for one audit finding, as an ordered dictionary (JSON objects) with arrays for lists.</summary>
        public OrderedDictionary Convert(Finding finding)
        {
            if (finding == null) throw new ArgumentNullException(nameof(finding));
            var arn = AwsArn.TryParse(finding.DBClusterArn);
            var region = !string.IsNullOrEmpty(finding.Region) ? finding.Region : arn?.Region ?? string.Empty;
            if (string.IsNullOrEmpty(region))
            {
                throw new AuroraSecurityException("AsffRegionUnknown", FailureKind.InvalidArgument,
                    $"The finding {finding.CheckId} for '{finding.ClusterIdentifier}' names no region and no cluster ARN: run the audit again so the finding carries them.");
            }

            var account = arn != null && AccountPattern.IsMatch(arn.Account) ? arn.Account : AwsAccountId;
            if (account == null)
            {
                throw new AuroraSecurityException("AsffAccountIdUnknown", FailureKind.InvalidArgument,
                    $"The finding {finding.CheckId} for '{finding.ClusterIdentifier}' has no cluster ARN to take the account from: give -AwsAccountId.");
            }

            var partition = arn?.Partition ?? AwsPartition.OfRegion(region);
            var clusterArn = arn?.ToString() ?? $"arn:{partition}:rds:{region}:{account}:cluster:{finding.ClusterIdentifier}";
            var check = SecurityCheckCatalog.Find(finding.CheckId);
            var updatedAt = finding.Timestamp == default ? DateTime.UtcNow : finding.Timestamp.UtcDateTime;
            var createdAt = CreatedAt ?? updatedAt;
            if (createdAt > updatedAt) createdAt = updatedAt;

            var asff = new OrderedDictionary
            {
                ["SchemaVersion"] = SchemaVersion,
                ["Id"] = IdFor(clusterArn, finding.CheckId),
                ["ProductArn"] = $"arn:{partition}:securityhub:{region}:{account}:product/{account}/default",
                ["ProductName"] = "AuroraSecurity",
                ["GeneratorId"] = finding.CheckId,
                ["AwsAccountId"] = account,
                ["Types"] = new object[] { FindingType },
                ["FirstObservedAt"] = JsonText.FormatTime(createdAt),
                ["LastObservedAt"] = JsonText.FormatTime(updatedAt),
                ["CreatedAt"] = JsonText.FormatTime(createdAt),
                ["UpdatedAt"] = JsonText.FormatTime(updatedAt),
                ["Severity"] = new OrderedDictionary
                {
                    ["Label"] = SeverityLabel(finding),
                    ["Original"] = finding.Severity.ToString(),
                },
                ["Title"] = Limit(string.IsNullOrEmpty(finding.Title) ? finding.CheckId : finding.Title, TitleLimit),
                ["Description"] = Limit(DescriptionOf(finding, check), DescriptionLimit),
                ["Remediation"] = new OrderedDictionary
                {
                    ["Recommendation"] = new OrderedDictionary { ["Text"] = Limit(RecommendationOf(finding, check), RecommendationLimit) },
                },
                ["ProductFields"] = ProductFields(finding),
                ["Resources"] = new object[] { Resource(finding, clusterArn, partition, region) },
                ["Compliance"] = Compliance(finding, check),
                ["RecordState"] = "ACTIVE",
            };
            if (finding.Status == FindingStatus.Suppressed)
            {
                // Security Hub's own way to set a finding aside: the compliance status stays what the check found.
                asff["Workflow"] = new OrderedDictionary { ["Status"] = "SUPPRESSED" };
                asff["Note"] = new OrderedDictionary
                {
                    ["Text"] = Limit($"Suppressed by the audit baseline until {finding.SuppressionExpires?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}: {finding.Justification}", 512),
                    ["UpdatedBy"] = "AuroraSecurity baseline",
                    ["UpdatedAt"] = JsonText.FormatTime(updatedAt),
                };
            }

            return asff;
        }

        /// <summary>The finding's Id: the cluster ARN and the check id, so it is the same on every run.</summary>
        public static string IdFor(string clusterArn, string checkId) => $"{clusterArn}/{checkId}";

        /// <summary>Splits ASFF findings into batches of at most <paramref name="size"/> (1–100), each the body of one BatchImportFindings call.</summary>
        public static IEnumerable<IReadOnlyList<OrderedDictionary>> Batch(IEnumerable<OrderedDictionary> findings, int size = MaxBatchSize)
        {
            if (size < 1 || size > MaxBatchSize)
            {
                throw new AuroraSecurityException("AsffBatchSizeInvalid", FailureKind.InvalidArgument,
                    $"A batch holds 1 to {MaxBatchSize} findings (the BatchImportFindings limit); {size} was asked for.");
            }

            var batch = new List<OrderedDictionary>(size);
            foreach (var finding in findings)
            {
                batch.Add(finding);
                if (batch.Count == size)
                {
                    yield return batch;
                    batch = new List<OrderedDictionary>(size);
                }
            }

            if (batch.Count > 0) yield return batch;
        }

        /// <summary>The BatchImportFindings input for one batch: {"Findings": [...]}, as `aws securityhub batch-import-findings --cli-input-json` reads it.</summary>
        public static string BatchDocument(IReadOnlyList<OrderedDictionary> batch, bool indent = false) =>
            JsonText.Write(new OrderedDictionary { ["Findings"] = batch.ToArray() }, indent);

        /// <summary>ASFF's compliance status for an audit status: an Error or a check that does not apply has no verdict to report.</summary>
        public static string ComplianceStatus(FindingStatus status)
        {
            switch (status)
            {
                case FindingStatus.Pass: return "PASSED";
                case FindingStatus.Fail: return "FAILED";
                case FindingStatus.Warning: return "WARNING";
                default: return "NOT_AVAILABLE";
            }
        }

        private static string SeverityLabel(Finding finding)
        {
            // Security Hub's own controls report a passed check as INFORMATIONAL; the check's severity stays in Original.
            var status = finding.SuppressedStatus ?? finding.Status;
            if (status == FindingStatus.Pass || status == FindingStatus.NotApplicable) return "INFORMATIONAL";
            switch (finding.Severity)
            {
                case FindingSeverity.High: return "HIGH";
                case FindingSeverity.Medium: return "MEDIUM";
                default: return "LOW";
            }
        }

        private static string DescriptionOf(Finding finding, SecurityCheck? check)
        {
            var reason = string.IsNullOrWhiteSpace(finding.Reason) ? $"{finding.Status}." : finding.Reason.Trim();
            return check == null || string.IsNullOrWhiteSpace(check.Description) ? reason : reason + " " + check.Description.Trim();
        }

        private static string RecommendationOf(Finding finding, SecurityCheck? check)
        {
            if (!string.IsNullOrWhiteSpace(finding.Recommendation)) return finding.Recommendation.Trim();
            if (check != null) return check.RecommendationFor(finding.ClusterIdentifier);
            return "No action is needed.";
        }

        private static OrderedDictionary ProductFields(Finding finding) => new OrderedDictionary
        {
            ["AuroraSecurity/CheckId"] = finding.CheckId,
            ["AuroraSecurity/Status"] = finding.Status.ToString(),
            ["AuroraSecurity/ClusterIdentifier"] = finding.ClusterIdentifier,
        };

        private static OrderedDictionary Compliance(Finding finding, SecurityCheck? check)
        {
            var compliance = new OrderedDictionary { ["Status"] = ComplianceStatus(finding.SuppressedStatus ?? finding.Status) };
            var requirements = RelatedRequirements(check);
            if (requirements.Count > 0) compliance["RelatedRequirements"] = requirements.ToArray();
            return compliance;
        }

        /// <summary>The check's references (benchmarks and guides it follows), at most 32 as ASFF allows.</summary>
        public static IReadOnlyList<string> RelatedRequirements(SecurityCheck? check)
        {
            if (check == null) return new string[0];
            return CheckReferences.Of(check).Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.Ordinal).Take(RequirementLimit).ToList();
        }

        private static OrderedDictionary Resource(Finding finding, string clusterArn, string partition, string region)
        {
            var details = new OrderedDictionary { ["DbClusterIdentifier"] = finding.ClusterIdentifier };
            var cluster = finding.Cluster;
            if (cluster != null)
            {
                if (!string.IsNullOrEmpty(cluster.Engine)) details["Engine"] = cluster.Engine;
                AddIfKnown(details, "EngineVersion", cluster.EngineVersion ?? finding.EngineVersion);
                AddIfKnown(details, "Status", cluster.Status);
                AddIfKnown(details, "Endpoint", cluster.Endpoint);
                AddIfKnown(details, "ReaderEndpoint", cluster.ReaderEndpoint);
                if (cluster.Port is int port) details["Port"] = port;
                AddIfKnown(details, "DbClusterParameterGroup", cluster.ParameterGroupName);
                AddIfKnown(details, "MasterUsername", cluster.MasterUsername);
                // A flag RDS's answer left out is unknown: left out here too, never written as false.
                if (cluster.IamDatabaseAuthenticationEnabled is bool iam) details["IamDatabaseAuthenticationEnabled"] = iam;
                if (cluster.StorageEncrypted is bool encrypted) details["StorageEncrypted"] = encrypted;
                details["DbClusterMembers"] = cluster.Members.Select(Member).ToArray<object>();
            }
            else
            {
                AddIfKnown(details, "EngineVersion", finding.EngineVersion);
            }

            return new OrderedDictionary
            {
                ["Type"] = "AwsRdsDbCluster",
                ["Id"] = clusterArn,
                ["Partition"] = partition,
                ["Region"] = region,
                ["Details"] = new OrderedDictionary { ["AwsRdsDbCluster"] = details },
            };
        }

        private static OrderedDictionary Member(AuroraClusterMember member)
        {
            var entry = new OrderedDictionary
            {
                ["DbInstanceIdentifier"] = member.InstanceIdentifier,
                ["IsClusterWriter"] = member.IsWriter,
            };
            AddIfKnown(entry, "DbClusterParameterGroupStatus", member.ParameterGroupStatus);
            return entry;
        }

        private static void AddIfKnown(IDictionary map, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) map[key] = value;
        }

        private static string Limit(string text, int limit) =>
            text.Length <= limit ? text : text.Substring(0, limit - 1) + "…";
    }
}
