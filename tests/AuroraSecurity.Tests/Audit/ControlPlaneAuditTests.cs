using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Engine;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>The control-plane checks against the seed fleet of the RDS double (EC2 security groups through AWSSDK.EC2): each passes on one cluster and fails on another.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class ControlPlaneAuditTests : IClassFixture<ControlPlaneAuditTests.FleetAudit>
    {
        private static readonly DateTime Now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
        private readonly FleetAudit _fleet;

        public ControlPlaneAuditTests(FleetAudit fleet) => _fleet = fleet;

        [Theory]
        [InlineData(SecurityCheckCatalog.NotPubliclyAccessible, "orders", "billing", FindingStatus.Fail, "billing-2")]
        [InlineData(SecurityCheckCatalog.NoOpenSecurityGroup, "orders", "billing", FindingStatus.Fail, "sg-0b1111b1111b1111b (billing-vendor-access): tcp 3300-3310 from 0.0.0.0/0")]
        [InlineData(SecurityCheckCatalog.NoOpenSecurityGroup, "analytics", "legacy", FindingStatus.Fail, "all traffic from ::/0")]
        [InlineData(SecurityCheckCatalog.NoBurstableClass, "orders", "legacy", FindingStatus.Warning, "legacy-2 (db.t3.medium)")]
        [InlineData(SecurityCheckCatalog.SnapshotsEncrypted, "analytics", "orders", FindingStatus.Fail, "orders-migration")]
        [InlineData(SecurityCheckCatalog.SnapshotsNotPublic, "analytics", "billing", FindingStatus.Fail, "billing-month-end")]
        [InlineData(SecurityCheckCatalog.DeletionProtection, "orders", "billing", FindingStatus.Fail, "Deletion protection is off")]
        [InlineData(SecurityCheckCatalog.BackupRetention, "orders", "billing", FindingStatus.Fail, "kept 1 day, fewer than 7")]
        [InlineData(SecurityCheckCatalog.CopyTagsToSnapshot, "orders", "billing", FindingStatus.Fail, "CopyTagsToSnapshot is off")]
        [InlineData(SecurityCheckCatalog.AuditLogging, "orders", "inventory", FindingStatus.Fail, "server_audit_logging is unset in 'default.aurora-mysql8.0'")]
        [InlineData(SecurityCheckCatalog.AuditLogExport, "orders", "billing", FindingStatus.Fail, "exports: none")]
        [InlineData(SecurityCheckCatalog.ErrorLogExport, "orders", "legacy", FindingStatus.Fail, "The error log is not exported")]
        [InlineData(SecurityCheckCatalog.SlowQueryLogExport, "analytics", "orders", FindingStatus.Fail, "exports: audit, error")]
        [InlineData(SecurityCheckCatalog.CustomMasterUsername, "analytics", "orders", FindingStatus.Fail, "default 'admin'")]
        [InlineData(SecurityCheckCatalog.ManagedMasterPassword, "analytics", "orders", FindingStatus.Fail, "no MasterUserSecret")]
        [InlineData(SecurityCheckCatalog.AutoMinorVersionUpgrade, "orders", "inventory", FindingStatus.Fail, "inventory-2")]
        [InlineData(SecurityCheckCatalog.EngineStandardSupport, "analytics", "orders", FindingStatus.Fail, "ended on 2024-10-31")]
        [InlineData(SecurityCheckCatalog.EngineStandardSupport, "analytics", "inventory", FindingStatus.Fail, "3.05 is not among them")]
        [InlineData(SecurityCheckCatalog.NonDefaultPort, "analytics", "orders", FindingStatus.Fail, "default port 3306")]
        [InlineData(SecurityCheckCatalog.CurrentCertificateAuthority, "orders", "legacy", FindingStatus.Fail, "legacy-1 (rds-ca-2019, retired by AWS")]
        [InlineData(SecurityCheckCatalog.ProxyRequiresTls, "orders", "billing", FindingStatus.Fail, "billing-proxy")]
        [InlineData(SecurityCheckCatalog.StorageEncrypted, "orders", "billing", FindingStatus.Pass, "StorageEncrypted true")]
        public void SeedFleetHasAPassAndAFailForTheCheck(string checkId, string passing, string failing, FindingStatus expected, string reasonFragment)
        {
            var pass = _fleet.Finding(passing, checkId);
            Assert.True(pass.Status == FindingStatus.Pass, $"{passing} {checkId}: {pass.Status} {pass.Reason}");
            Assert.Equal(string.Empty, pass.Recommendation);
            var fail = _fleet.Finding(failing, checkId);
            Assert.True(fail.Status == expected, $"{failing} {checkId}: {fail.Status} {fail.Reason}");
            Assert.Contains(reasonFragment, fail.Reason);
            if (expected != FindingStatus.Pass) Assert.False(string.IsNullOrEmpty(fail.Recommendation));
        }

        [Fact]
        public void EveryCheckPassesOnSomeClusterAndFailsOrWarnsOnAnother()
        {
            // The SQL and probe checks need -SqlCredential / -ProbeEndpoint and a server; SqlAndWireAuditTests covers them against MariaDB.
            foreach (var check in SecurityCheckCatalog.All.Where(c => c.Id != SecurityCheckCatalog.StorageEncrypted && c.Id != SecurityCheckCatalog.NoPendingReboot
                && c.Evidence != CheckEvidence.Sql && c.Evidence != CheckEvidence.Wire))
            {
                var statuses = _fleet.Findings.Where(f => f.CheckId == check.Id).Select(f => f.Status).ToList();
                Assert.True(statuses.Contains(FindingStatus.Pass), check.Id + " never passes");
                Assert.True(statuses.Any(s => s == FindingStatus.Fail || s == FindingStatus.Warning), check.Id + " never fails");
            }
        }

        [Fact]
        public void RecommendationsNameTheFailingResource()
        {
            Assert.Contains("-DBInstanceIdentifier billing-2 -PubliclyAccessible $false", _fleet.Finding("billing", SecurityCheckCatalog.NotPubliclyAccessible).Recommendation);
            Assert.Contains("-DBClusterSnapshotIdentifier billing-month-end -AttributeName restore -ValuesToRemove all", _fleet.Finding("billing", SecurityCheckCatalog.SnapshotsNotPublic).Recommendation);
            Assert.Contains("-GroupId sg-0b1111b1111b1111b", _fleet.Finding("billing", SecurityCheckCatalog.NoOpenSecurityGroup).Recommendation);
            Assert.Contains("-DBProxyName billing-proxy -RequireTLS $true", _fleet.Finding("billing", SecurityCheckCatalog.ProxyRequiresTls).Recommendation);
            Assert.Contains("-BackupRetentionPeriod 7", _fleet.Finding("billing", SecurityCheckCatalog.BackupRetention).Recommendation);
            Assert.Contains("-DBInstanceIdentifier inventory-2 -AutoMinorVersionUpgrade $true", _fleet.Finding("inventory", SecurityCheckCatalog.AutoMinorVersionUpgrade).Recommendation);
        }

        [Fact]
        public void ClustersWithoutSnapshotsOrProxiesAreNotApplicableNotPassed()
        {
            Assert.Equal(FindingStatus.NotApplicable, _fleet.Finding("inventory", SecurityCheckCatalog.SnapshotsEncrypted).Status);
            Assert.Equal(FindingStatus.NotApplicable, _fleet.Finding("legacy", SecurityCheckCatalog.SnapshotsNotPublic).Status);
            Assert.Equal(FindingStatus.NotApplicable, _fleet.Finding("inventory", SecurityCheckCatalog.ProxyRequiresTls).Status);
            // The automated snapshot of orders is not a manual one and is not counted.
            Assert.DoesNotContain("orders-nightly-auto", _fleet.Finding("orders", SecurityCheckCatalog.SnapshotsEncrypted).Reason);
            Assert.Contains("shared with named accounts: analytics-before-upgrade (with 210987654321)", _fleet.Finding("analytics", SecurityCheckCatalog.SnapshotsNotPublic).Reason);
        }

        [Fact]
        public void TheAuditReadsEachKindOfEvidenceOnceForTheWholeRegion()
        {
            var counts = _fleet.Requests.GroupBy(r => r.Action ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(1, counts["DescribeDBInstances"]);
            Assert.Equal(1, counts["DescribeDBClusterSnapshots"]);
            Assert.Equal(1, counts["DescribeSecurityGroups"]);
            Assert.Equal(1, counts["DescribeDBProxies"]);
            Assert.Equal(3, counts["DescribeDBProxyTargets"]);
            Assert.Equal(3, counts["DescribeDBClusterSnapshotAttributes"]);
            // Five clusters over four distinct parameter groups, each read once (page by page).
            var pages = _fleet.Requests.Where(r => r.Action == "DescribeDBClusterParameters")
                .Select(r => r.Parameters["DBClusterParameterGroupName"] + "|" + (r.Parameters.TryGetValue("Marker", out var m) ? m : string.Empty)).ToList();
            Assert.Equal(pages.Count, pages.Distinct().Count());
            Assert.Equal(4, pages.Select(p => p.Split('|')[0]).Distinct().Count());
        }

        [Fact]
        public async Task NamedClustersReadOnlyTheirInstances()
        {
            await using var d = await DoubleClient.StartAsync();
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var outcomes = await runner.RunAsync(new[] { "orders", "billing" }, SecurityCheckCatalog.Select(new[] { SecurityCheckCatalog.NotPubliclyAccessible }), CancellationToken.None);
            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            var read = Assert.Single(d.Server.Requests, r => r.Action == "DescribeDBInstances");
            Assert.Equal("db-cluster-id", read.Parameters["Filters.Filter.1.Name"]);
            Assert.Equal(new[] { "orders", "billing" }, new[] { read.Parameters["Filters.Filter.1.Values.Value.1"], read.Parameters["Filters.Filter.1.Values.Value.2"] });
        }

        [Fact]
        public async Task FailedSecurityGroupReadIsAnErrorForThatCheckOnly()
        {
            await using var d = await DoubleClient.StartAsync();
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, new FailingEc2());
            var findings = (await runner.RunAsync(null, SecurityCheckCatalog.All, CancellationToken.None)).SelectMany(o => o.Value!).ToList();
            var errors = findings.Where(f => f.Status == FindingStatus.Error).ToList();
            Assert.Equal(5, errors.Count);
            Assert.All(errors, f => Assert.Equal(SecurityCheckCatalog.NoOpenSecurityGroup, f.CheckId));
            Assert.All(errors, f => Assert.Contains("DescribeSecurityGroups", f.Reason));
        }

        [Fact]
        public async Task SnapshotAttributeFailureIsAnErrorForThatClustersPublicCheckOnly()
        {
            await using var d = await DoubleClient.StartAsync();
            lock (d.Server.State.SyncRoot) d.Server.State.ClusterSnapshots.Single(s => s.Identifier == "analytics-before-upgrade").SnapshotType = "manual-broken";
            var rds = new SnapshotTypeRds(d.Client);
            var runner = new SecurityAuditRunner(rds, DoubleClient.Region, () => Now, d.Ec2);
            var findings = (await runner.RunAsync(null, SecurityCheckCatalog.All, CancellationToken.None)).SelectMany(o => o.Value!).ToList();
            var error = Assert.Single(findings, f => f.Status == FindingStatus.Error);
            Assert.Equal(("analytics", SecurityCheckCatalog.SnapshotsNotPublic), (error.ClusterIdentifier, error.CheckId));
            Assert.Contains("analytics-before-upgrade", error.Reason);
            Assert.Equal(FindingStatus.Pass, findings.Single(f => f.ClusterIdentifier == "analytics" && f.CheckId == SecurityCheckCatalog.SnapshotsEncrypted).Status);
        }

        [Fact]
        public async Task AbsentFieldsAreUnknownNeverAPass()
        {
            var cluster = AuroraCluster.FromRds(new RdsDbCluster { DBClusterIdentifier = "bare", Engine = "aurora-mysql", EngineVersion = "8.0.mysql_aurora.3.10.1" }, "us-east-1");
            var evidence = new ClusterEvidence(cluster, Now)
            {
                Instances = new[] { new RdsDbInstance { DBInstanceIdentifier = "bare-1", DBClusterIdentifier = "bare" } },
                ClusterParameters = new RdsParameter[0],
                SecurityGroups = new Ec2SecurityGroup[0],
                Snapshots = new[] { new SnapshotEvidence(new RdsDbClusterSnapshot { DBClusterSnapshotIdentifier = "bare-snap", DBClusterIdentifier = "bare" }) { Attributes = new RdsSnapshotAttribute[0] } },
                Proxies = new[] { new RdsDbProxy { DBProxyName = "bare-proxy" } },
            };
            var unknown = new[]
            {
                SecurityCheckCatalog.NotPubliclyAccessible, SecurityCheckCatalog.NoOpenSecurityGroup, SecurityCheckCatalog.NoBurstableClass, SecurityCheckCatalog.SnapshotsEncrypted,
                SecurityCheckCatalog.DeletionProtection, SecurityCheckCatalog.BackupRetention, SecurityCheckCatalog.CopyTagsToSnapshot, SecurityCheckCatalog.AuditLogging,
                SecurityCheckCatalog.AuditLogExport, SecurityCheckCatalog.ErrorLogExport, SecurityCheckCatalog.SlowQueryLogExport, SecurityCheckCatalog.CustomMasterUsername,
                SecurityCheckCatalog.AutoMinorVersionUpgrade, SecurityCheckCatalog.NonDefaultPort, SecurityCheckCatalog.CurrentCertificateAuthority, SecurityCheckCatalog.ProxyRequiresTls,
            };
            foreach (var id in unknown)
            {
                var finding = ClusterChecks.Evaluate(SecurityCheckCatalog.Find(id)!, evidence);
                Assert.True(finding.Status == FindingStatus.Warning, $"{id}: {finding.Status} {finding.Reason}");
                Assert.Contains("cannot pass on unknown evidence", finding.Reason);
            }

            Assert.Equal(FindingStatus.Fail, ClusterChecks.Evaluate(SecurityCheckCatalog.Find(SecurityCheckCatalog.ManagedMasterPassword)!, evidence).Status);
            await Task.CompletedTask;
        }

        [Fact]
        public void ChinaNingxiaStorageAndSnapshotEncryptionAreNotApplicableWithTheGuidesReason()
        {
            var cluster = AuroraCluster.FromRds(new RdsDbCluster { DBClusterIdentifier = "nx", Engine = "aurora-mysql", EngineVersion = "8.0.mysql_aurora.3.10.1", StorageEncrypted = false }, "cn-northwest-1");
            var evidence = new ClusterEvidence(cluster, Now) { Snapshots = new[] { new SnapshotEvidence(new RdsDbClusterSnapshot { DBClusterSnapshotIdentifier = "s", StorageEncrypted = false }) } };
            foreach (var id in new[] { SecurityCheckCatalog.StorageEncrypted, SecurityCheckCatalog.SnapshotsEncrypted })
            {
                var finding = ClusterChecks.Evaluate(SecurityCheckCatalog.Find(id)!, evidence);
                Assert.Equal(FindingStatus.NotApplicable, finding.Status);
                Assert.Contains("China (Ningxia)", finding.Reason);
            }

            var beijing = new ClusterEvidence(AuroraCluster.FromRds(new RdsDbCluster { DBClusterIdentifier = "bj", Engine = "aurora-mysql", StorageEncrypted = false }, "cn-north-1"), Now);
            Assert.Equal(FindingStatus.Fail, ClusterChecks.Evaluate(SecurityCheckCatalog.Find(SecurityCheckCatalog.StorageEncrypted)!, beijing).Status);
        }

        [Theory]
        [InlineData("8.0.mysql_aurora.3.04.3", "2026-05-01", FindingStatus.Pass)]
        [InlineData("8.0.mysql_aurora.3.04.3", "2026-05-05", FindingStatus.Warning)]
        [InlineData("8.0.mysql_aurora.3.04.3", "2026-10-31", FindingStatus.Warning)]
        [InlineData("8.0.mysql_aurora.3.04.3", "2026-11-01", FindingStatus.Fail)]
        [InlineData("8.0.mysql_aurora.3.10.1", "2027-11-01", FindingStatus.Pass)]
        [InlineData("8.0.mysql_aurora.3.10.1", "2027-11-03", FindingStatus.Warning)]
        [InlineData("5.6.mysql_aurora.1.23.4", "2022-01-01", FindingStatus.Pass)]
        [InlineData("5.6.mysql_aurora.1.23.4", "2023-03-01", FindingStatus.Fail)]
        public void EngineSupportWarnsWithin180DaysFailsAfter(string version, string day, FindingStatus expected)
        {
            var now = DateTime.SpecifyKind(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
            var cluster = AuroraCluster.FromRds(new RdsDbCluster { DBClusterIdentifier = "v", Engine = "aurora-mysql", EngineVersion = version }, "us-east-1");
            var finding = ClusterChecks.Evaluate(SecurityCheckCatalog.Find(SecurityCheckCatalog.EngineStandardSupport)!, new ClusterEvidence(cluster, now));
            Assert.True(finding.Status == expected, $"{version} at {day}: {finding.Status} {finding.Reason}");
        }

        [Fact]
        public void BackupRetentionThresholdIsASetting()
        {
            var cluster = AuroraCluster.FromRds(new RdsDbCluster { DBClusterIdentifier = "b", Engine = "aurora-mysql", BackupRetentionPeriod = 7 }, "us-east-1");
            var check = SecurityCheckCatalog.Find(SecurityCheckCatalog.BackupRetention)!;
            Assert.Equal(FindingStatus.Pass, ClusterChecks.Evaluate(check, new ClusterEvidence(cluster, Now)).Status);
            var strict = ClusterChecks.Evaluate(check, new ClusterEvidence(cluster, Now, new AuditSettings { MinimumBackupRetentionDays = 14 }));
            Assert.Equal(FindingStatus.Fail, strict.Status);
            Assert.Contains("fewer than 14", strict.Reason);
        }

        [Fact]
        public void CatalogueHasAtLeast28ChecksWithReferencesToTheFrameworks()
        {
            Assert.True(SecurityCheckCatalog.All.Count >= 28);
            Assert.Equal("FSBP RDS.7; Prowler rds_cluster_deletion_protection", SecurityCheckCatalog.Find(SecurityCheckCatalog.DeletionProtection)!.ReferenceText);
            Assert.Equal("FSBP RDS.2; CIS v3.0.0 2.3.3; Prowler rds_instance_no_public_access", SecurityCheckCatalog.Find(SecurityCheckCatalog.NotPubliclyAccessible)!.ReferenceText);
            Assert.Equal("Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306", SecurityCheckCatalog.Find(SecurityCheckCatalog.NoOpenSecurityGroup)!.ReferenceText);
            Assert.Equal("FSBP RDS.34; Prowler rds_cluster_integration_cloudwatch_logs", SecurityCheckCatalog.Find(SecurityCheckCatalog.AuditLogExport)!.ReferenceText);
            Assert.Equal("Prowler rds_instance_transport_encrypted", SecurityCheckCatalog.Find(SecurityCheckCatalog.RequireSecureTransport)!.ReferenceText);
            var cis = SecurityCheckCatalog.ReferencedBy(SecurityCheckCatalog.All, "cis").Select(c => c.Id).ToList();
            Assert.Equal(new[] { SecurityCheckCatalog.StorageEncrypted, SecurityCheckCatalog.NotPubliclyAccessible, SecurityCheckCatalog.AutoMinorVersionUpgrade }, cis);
            Assert.Contains(SecurityCheckCatalog.ProxyRequiresTls, SecurityCheckCatalog.ReferencedBy(SecurityCheckCatalog.All, "FSBP").Select(c => c.Id));
            Assert.DoesNotContain(SecurityCheckCatalog.TlsVersion, SecurityCheckCatalog.ReferencedBy(SecurityCheckCatalog.All, "FSBP").Select(c => c.Id));
            var error = Assert.Throws<AuroraSecurityException>(() => SecurityCheckCatalog.ReferencedBy(SecurityCheckCatalog.All, "NIST"));
            Assert.Contains("FSBP, CIS, Prowler", error.Message);
        }

        [Fact]
        public void EngineSupportCalendarNamesItsSourceAndDate()
        {
            Assert.StartsWith("https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/", EngineSupportCalendar.Source);
            var entry = EngineSupportCalendar.For(AuroraEngineVersion.Parse("8.0.mysql_aurora.3.10.1"));
            Assert.Equal(new DateTime(2028, 4, 30), entry.EndOfStandardSupport);
            Assert.True(entry.Listed);
        }

        /// <summary>The whole seed fleet audited once (all checks, EC2 through the same double), with the actions it sent.</summary>
        public sealed class FleetAudit : IAsyncLifetime
        {
            public List<Finding> Findings { get; private set; } = new List<Finding>();

            public List<RdsDouble.RecordedRequest> Requests { get; private set; } = new List<RdsDouble.RecordedRequest>();

            public Finding Finding(string cluster, string checkId) => Findings.Single(f => f.ClusterIdentifier == cluster && f.CheckId == checkId);

            public async Task InitializeAsync()
            {
                await using var d = await DoubleClient.StartAsync();
                var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
                var outcomes = await runner.RunAsync(null, SecurityCheckCatalog.All, CancellationToken.None);
                Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
                Findings = outcomes.SelectMany(o => o.Value!).ToList();
                Requests = d.Server.Requests.ToList();
            }

            public Task DisposeAsync() => Task.CompletedTask;
        }

        private sealed class FailingEc2 : IEc2Api
        {
            public Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default) =>
                Task.FromException<IReadOnlyList<Ec2SecurityGroup>>(new RdsApiException("DescribeSecurityGroups", "UnauthorizedOperation", "You are not authorized to perform this operation.", 403, "req-ec2"));
        }

        // Lists a snapshot whose type the double refuses attribute reads for as manual, so that one attribute read fails.
        private sealed class SnapshotTypeRds : DelegatingRds
        {
            public SnapshotTypeRds(IRdsApi inner) : base(inner) { }

            public override async Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? id = null, string? type = null, CancellationToken ct = default)
            {
                var all = await Inner.DescribeDBClusterSnapshotsAsync(id, null, ct);
                return all.Where(s => s.SnapshotType == "manual" || s.SnapshotType == "manual-broken").ToList();
            }
        }
    }
}
