using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>The security audit against the RDS double's seed fleet: each check's pass and fail, one finding per check per cluster, failures isolated.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class SecurityAuditTests
    {
        private static readonly DateTime Now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);

        [Fact]
        public async Task FleetOneFindingPerCheckPerClusterInCatalogueOrder()
        {
            await using var d = await DoubleClient.StartAsync();
            var findings = await AuditAsync(d);

            Assert.Equal(5 * SecurityCheckCatalog.All.Count, findings.Count);
            foreach (var cluster in findings.GroupBy(f => f.ClusterIdentifier))
            {
                Assert.Equal(SecurityCheckCatalog.All.Select(c => c.Id), cluster.Select(f => f.CheckId));
            }

            Assert.Equal(new[] { "analytics", "billing", "inventory", "legacy", "orders" }, findings.Select(f => f.ClusterIdentifier).Distinct());
            var one = findings.First(f => f.ClusterIdentifier == "orders");
            Assert.Equal("arn:aws:rds:us-east-1:123456789012:cluster:orders", one.Target);
            Assert.Equal(one.Target, one.DBClusterArn);
            Assert.Equal("orders", one.DBClusterIdentifier);
            Assert.Equal(DoubleClient.Region, one.Region);
            Assert.Equal("5.7.mysql_aurora.2.11.2", one.EngineVersion);
            Assert.Equal(new DateTimeOffset(Now), one.Timestamp);
            Assert.Equal(TimeSpan.Zero, one.Timestamp.Offset);
            Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.Reason)));
            Assert.All(findings.Where(f => f.Status == FindingStatus.Fail || f.Status == FindingStatus.Warning), f => Assert.False(string.IsNullOrEmpty(f.Recommendation)));
            Assert.All(findings.Where(f => f.Status == FindingStatus.Pass), f => Assert.Equal(string.Empty, f.Recommendation));
        }

        [Fact]
        public async Task AnalyticsPassesEveryRdsCheckAndSqlAndProbeChecksNeedTheirOptIn()
        {
            await using var d = await DoubleClient.StartAsync();
            var analytics = (await AuditAsync(d, "analytics")).ToDictionary(f => f.CheckId);
            Assert.All(analytics.Values.Where(f => !IsOptIn(f)), f => Assert.Equal(FindingStatus.Pass, f.Status));
            Assert.All(analytics.Values.Where(IsOptIn), f => Assert.Equal(FindingStatus.NotApplicable, f.Status));
            Assert.Equal(10, analytics.Values.Count(IsOptIn));
            Assert.Contains("TLS 1.2 ciphers only", analytics[SecurityCheckCatalog.TlsVersion].Reason);
            Assert.Contains("rds-ca-rsa2048-g1", analytics[SecurityCheckCatalog.CaCertificate].Reason);
            Assert.Contains("secure-aurora-mysql80", analytics[SecurityCheckCatalog.CustomParameterGroup].Reason);
        }

        [Fact]
        public async Task LegacyFailsTransportTlsVersionCiphersCaAndIamWithTheValuesSeen()
        {
            await using var d = await DoubleClient.StartAsync();
            var legacy = (await AuditAsync(d, "legacy")).ToDictionary(f => f.CheckId);

            var transport = legacy[SecurityCheckCatalog.RequireSecureTransport];
            Assert.Equal(FindingStatus.Fail, transport.Status);
            Assert.Equal(FindingSeverity.High, transport.Severity);
            Assert.Contains("OFF", transport.Reason);
            Assert.Equal("Enable-AuroraSecureTransport -ClusterIdentifier legacy", transport.Recommendation);

            var version = legacy[SecurityCheckCatalog.TlsVersion];
            Assert.Equal(FindingStatus.Fail, version.Status);
            Assert.Contains("'TLSv1,TLSv1.1,TLSv1.2'", version.Reason);
            Assert.Equal("Set-AuroraTlsVersion -ClusterIdentifier legacy -TlsVersion TLSv1.2", version.Recommendation);

            var ciphers = legacy[SecurityCheckCatalog.CipherSupport];
            Assert.Equal(FindingStatus.Fail, ciphers.Status);
            Assert.Contains("ECDHE-RSA-AES128-SHA (ECDHE-RSA ciphers need Aurora MySQL 2.09.3", ciphers.Reason);
            Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", ciphers.Reason);
            Assert.DoesNotContain(": DHE-RSA", ciphers.Reason);
            Assert.DoesNotContain("; DHE-RSA", ciphers.Reason);
            Assert.Equal("Set-AuroraCipherSuite -ClusterIdentifier legacy -Cipher DHE-RSA-AES128-SHA, DHE-RSA-AES256-SHA", ciphers.Recommendation);

            // ECDHE does not exist on 2.10.1, so DHE is not a finding there.
            Assert.Equal(FindingStatus.NotApplicable, legacy[SecurityCheckCatalog.NoDheCipher].Status);

            var ca = legacy[SecurityCheckCatalog.CaCertificate];
            Assert.Equal(FindingStatus.Fail, ca.Status);
            Assert.Contains("legacy-1 (rds-ca-2019, valid till 2024-08-22)", ca.Reason);
            Assert.Contains("legacy-2", ca.Reason);

            Assert.Equal(FindingStatus.Fail, legacy[SecurityCheckCatalog.IamAuthentication].Status);
            Assert.Equal(FindingSeverity.Low, legacy[SecurityCheckCatalog.IamAuthentication].Severity);
            Assert.Equal("Enable-AuroraIamAuthentication -ClusterIdentifier legacy", legacy[SecurityCheckCatalog.IamAuthentication].Recommendation);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.CustomParameterGroup].Status);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.StorageEncrypted].Status);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.NoPendingReboot].Status);
        }

        [Fact]
        public async Task InventoryDefaultGroupOnVersion3WarnsOnTlsVersionFailsDheAndCustomGroup()
        {
            await using var d = await DoubleClient.StartAsync();
            var inventory = (await AuditAsync(d, "inventory")).ToDictionary(f => f.CheckId);

            var version = inventory[SecurityCheckCatalog.TlsVersion];
            Assert.Equal(FindingStatus.Warning, version.Status);
            Assert.Contains("not settable on Aurora MySQL 3", version.Reason);
            Assert.Contains("ECDHE-RSA-AES128-SHA", version.Reason);
            Assert.StartsWith("Set-AuroraCipherSuite -ClusterIdentifier inventory -Cipher ECDHE-", version.Recommendation);
            Assert.DoesNotContain("DHE-RSA", version.Recommendation.Replace("ECDHE-RSA", string.Empty));
            Assert.EndsWith("-CreateCustomGroup", version.Recommendation);

            var dhe = inventory[SecurityCheckCatalog.NoDheCipher];
            Assert.Equal(FindingStatus.Fail, dhe.Status);
            Assert.Contains("DHE-RSA-AES256-GCM-SHA384", dhe.Reason);

            var group = inventory[SecurityCheckCatalog.CustomParameterGroup];
            Assert.Equal(FindingStatus.Fail, group.Status);
            Assert.Contains("never modifies default parameter groups", group.Reason);
            Assert.Contains("default.aurora-mysql8.0", group.Reason);
            Assert.Equal("Enable-AuroraSecureTransport -ClusterIdentifier inventory -CreateCustomGroup", inventory[SecurityCheckCatalog.RequireSecureTransport].Recommendation);

            // Unset ssl_cipher is the engine's own list: nothing unsupported in it.
            Assert.Equal(FindingStatus.Pass, inventory[SecurityCheckCatalog.CipherSupport].Status);
            Assert.Equal(FindingStatus.Pass, inventory[SecurityCheckCatalog.IamAuthentication].Status);
        }

        [Fact]
        public async Task Version2WithoutTlsVersionFailsTlsVersionAndASystemCipherListIsJudgedAsListed()
        {
            await using var d = await DoubleClient.StartAsync();
            var orders = (await AuditAsync(d, "orders")).ToDictionary(f => f.CheckId);
            Assert.Equal(FindingStatus.Fail, orders[SecurityCheckCatalog.TlsVersion].Status);
            Assert.Contains("not set", orders[SecurityCheckCatalog.TlsVersion].Reason);
            // ssl_cipher is a system value listing DHE ciphers that 2.11.2 does not accept: a value is a value whatever its Source.
            var dhe = orders[SecurityCheckCatalog.NoDheCipher];
            Assert.Equal(FindingStatus.Fail, dhe.Status);
            Assert.Contains("system value", dhe.Reason);
            var support = orders[SecurityCheckCatalog.CipherSupport];
            Assert.Equal(FindingStatus.Fail, support.Status);
            Assert.Contains("DHE-RSA-AES256-SHA", support.Reason);
        }

        [Fact]
        public async Task TlsVersion12AndPendingRebootAndUnencryptedStorage()
        {
            await using var d = await DoubleClient.StartAsync();
            lock (d.Server.State.SyncRoot)
            {
                d.Server.State.FindClusterParameterGroup("legacy-aurora-mysql57")!.Parameters["tls_version"].Value = "TLSv1.2";
                d.Server.State.FindInstance("legacy-2")!.ClusterParameterGroupStatus = "pending-reboot";
                d.Server.State.FindCluster("billing")!.StorageEncrypted = false;
            }

            var findings = await AuditAsync(d, "legacy", "billing");
            var legacy = findings.Where(f => f.ClusterIdentifier == "legacy").ToDictionary(f => f.CheckId);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.TlsVersion].Status);
            var pending = legacy[SecurityCheckCatalog.NoPendingReboot];
            Assert.Equal(FindingStatus.Warning, pending.Status);
            Assert.Contains("1 of 2 instances", pending.Reason);
            Assert.Contains("legacy-2", pending.Reason);
            Assert.Contains("legacy-2", pending.Recommendation);
            Assert.DoesNotContain("legacy-1", pending.Reason);

            var billing = findings.Where(f => f.ClusterIdentifier == "billing").ToDictionary(f => f.CheckId);
            Assert.Equal(FindingStatus.Fail, billing[SecurityCheckCatalog.StorageEncrypted].Status);
            Assert.Equal(FindingSeverity.High, billing[SecurityCheckCatalog.StorageEncrypted].Severity);
            Assert.Equal(FindingStatus.Pass, legacy[SecurityCheckCatalog.StorageEncrypted].Status);
        }

        [Fact]
        public async Task CaCertificateWarnsWithin30DaysFailsOnceExpired()
        {
            await using var d = await DoubleClient.StartAsync();
            var till = new DateTime(2061, 5, 25, 23, 41, 52, DateTimeKind.Utc);

            var soon = (await AuditAsync(d, till.AddDays(-10), new[] { SecurityCheckCatalog.CaCertificate }, "analytics")).Single();
            Assert.Equal(FindingStatus.Warning, soon.Status);
            Assert.Contains("within 30 days", soon.Reason);
            Assert.Contains("analytics-1", soon.Reason);

            var later = (await AuditAsync(d, till.AddDays(-31), new[] { SecurityCheckCatalog.CaCertificate }, "analytics")).Single();
            Assert.Equal(FindingStatus.Pass, later.Status);

            var gone = (await AuditAsync(d, till.AddSeconds(1), new[] { SecurityCheckCatalog.CaCertificate }, "analytics")).Single();
            Assert.Equal(FindingStatus.Fail, gone.Status);
            Assert.Contains("Expired", gone.Reason);
        }

        [Fact]
        public async Task DeletedParameterGroupGivesErrorFindingsForTlsChecksOtherChecksAndClustersUnaffected()
        {
            await using var d = await DoubleClient.StartAsync();
            lock (d.Server.State.SyncRoot) d.Server.State.ClusterParameterGroups.RemoveAll(g => g.Name == "legacy-aurora-mysql57");

            var findings = await AuditAsync(d);
            Assert.Equal(5 * SecurityCheckCatalog.All.Count, findings.Count);
            var legacy = findings.Where(f => f.ClusterIdentifier == "legacy").ToDictionary(f => f.CheckId);
            foreach (var id in new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.TlsVersion, SecurityCheckCatalog.CipherSupport, SecurityCheckCatalog.NoDheCipher })
            {
                Assert.Equal(FindingStatus.Error, legacy[id].Status);
                Assert.Contains("legacy-aurora-mysql57", legacy[id].Reason);
            }

            Assert.Equal(FindingStatus.Fail, legacy[SecurityCheckCatalog.CaCertificate].Status);
            Assert.Equal(FindingStatus.Fail, legacy[SecurityCheckCatalog.IamAuthentication].Status);
            Assert.DoesNotContain(findings, f => f.ClusterIdentifier != "legacy" && f.Status == FindingStatus.Error);
            Assert.All(findings.Where(f => f.ClusterIdentifier == "analytics" && !IsOptIn(f)), f => Assert.Equal(FindingStatus.Pass, f.Status));
        }

        private static bool IsOptIn(Finding finding) => SecurityCheckCatalog.Find(finding.CheckId)!.Evidence is CheckEvidence.Sql or CheckEvidence.Wire;

        [Fact]
        public async Task AClusterDeletedMidRunGivesErrorFindingsForItsInstanceChecksOnly()
        {
            await using var d = await DoubleClient.StartAsync();
            var rds = new InstanceFaultRds(d.Client, instances => instances.Where(i => i.DBClusterIdentifier != "orders").ToList());

            var findings = await AuditAsync(rds, d, Now, null);
            Assert.Equal(5 * SecurityCheckCatalog.All.Count, findings.Count);
            var errors = findings.Where(f => f.Status == FindingStatus.Error).ToList();
            Assert.All(errors, f => Assert.Equal("orders", f.ClusterIdentifier));
            Assert.Equal(SecurityCheckCatalog.All.Where(c => c.Evidence == CheckEvidence.Instances).Select(c => c.Id), errors.Select(f => f.CheckId));
            Assert.All(errors, f => Assert.Contains("deleted while the audit ran", f.Reason));
            Assert.False(string.IsNullOrEmpty(errors[0].Recommendation));
            Assert.Equal(FindingStatus.Fail, findings.Single(f => f.ClusterIdentifier == "legacy" && f.CheckId == SecurityCheckCatalog.CaCertificate).Status);
        }

        [Fact]
        public async Task AFailedRegionWideInstanceReadIsAnErrorForTheInstanceChecksOfEveryClusterAndNothingElse()
        {
            await using var d = await DoubleClient.StartAsync();
            var rds = new InstanceFaultRds(d.Client, _ => throw new RdsApiException("DescribeDBInstances", "AccessDenied", "User is not authorized to perform rds:DescribeDBInstances", 403, "req-1"));

            var findings = await AuditAsync(rds, d, Now, null);
            var instanceChecks = SecurityCheckCatalog.All.Where(c => c.Evidence == CheckEvidence.Instances).Select(c => c.Id).ToList();
            var errors = findings.Where(f => f.Status == FindingStatus.Error).ToList();
            Assert.Equal(5 * instanceChecks.Count, errors.Count);
            Assert.All(errors, f => Assert.Contains(f.CheckId, instanceChecks));
            Assert.All(errors, f => Assert.Contains("DescribeDBInstances", f.Reason));
            Assert.All(findings.Where(f => f.ClusterIdentifier == "analytics" && !instanceChecks.Contains(f.CheckId) && !IsOptIn(f)), f => Assert.Equal(FindingStatus.Pass, f.Status));
            Assert.All(findings.Where(IsOptIn), f => Assert.Equal(FindingStatus.NotApplicable, f.Status));
        }

        [Fact]
        public async Task UnknownClusterIsAFailedOutcomeTheOthersAreAudited()
        {
            await using var d = await DoubleClient.StartAsync();
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region, () => Now, d.Ec2);
            var outcomes = await runner.RunAsync(new[] { "nope", "analytics" }, SecurityCheckCatalog.All, CancellationToken.None);
            Assert.Equal("ClusterNotFound", outcomes[0].Error!.ErrorId);
            Assert.Equal(SecurityCheckCatalog.All.Count, outcomes[1].Value!.Count);
        }

        [Fact]
        public async Task SelectedChecksOnlyThoseAndOnlyTheReadsTheyNeed()
        {
            await using var d = await DoubleClient.StartAsync();
            var findings = await AuditAsync(d, Now, new[] { "aursec-enc-001", SecurityCheckCatalog.IamAuthentication });
            Assert.Equal(10, findings.Count);
            Assert.Equal(new[] { SecurityCheckCatalog.IamAuthentication, SecurityCheckCatalog.StorageEncrypted }, findings.Take(2).Select(f => f.CheckId));
            Assert.DoesNotContain(d.Server.Requests, r => r.Action == "DescribeDBInstances" || r.Action == "DescribeDBClusterParameters");

            var error = Assert.Throws<AuroraSecurityException>(() => SecurityCheckCatalog.Select(new[] { "AURSEC-NOPE" }));
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            Assert.Contains("AURSEC-TLS-001", error.Message);
        }

        [Fact]
        public void CatalogueHasUniqueIdsTitlesSeveritiesAndRecommendations()
        {
            Assert.Equal(SecurityCheckCatalog.All.Count, SecurityCheckCatalog.All.Select(c => c.Id).Distinct().Count());
            Assert.All(SecurityCheckCatalog.All, c =>
            {
                Assert.Matches("^AURSEC-[A-Z]{3}-[0-9]{3}$", c.Id);
                Assert.False(string.IsNullOrWhiteSpace(c.Title));
                Assert.False(string.IsNullOrWhiteSpace(c.Description));
                // Readers see <cluster> where the identifier goes, never a raw format placeholder.
                Assert.Contains(SecurityCheck.ClusterPlaceholder, c.Recommendation);
                Assert.DoesNotContain("{0}", c.Recommendation);
                Assert.Contains("orders", c.RecommendationFor("orders"));
            });
            Assert.Equal("Enable-AuroraSecureTransport -ClusterIdentifier orders", SecurityCheckCatalog.Find("AURSEC-TLS-001")!.RecommendationFor("orders"));
        }

        private static Task<List<Finding>> AuditAsync(DoubleClient d, params string[] clusters) => AuditAsync(d.Client, d, Now, null, clusters);

        private static Task<List<Finding>> AuditAsync(DoubleClient d, DateTime now, string[]? checkIds, params string[] clusters) => AuditAsync(d.Client, d, now, checkIds, clusters);

        private static async Task<List<Finding>> AuditAsync(IRdsApi rds, DoubleClient d, DateTime now, string[]? checkIds, params string[] clusters)
        {
            var runner = new SecurityAuditRunner(rds, DoubleClient.Region, () => now, d.Ec2);
            var outcomes = await runner.RunAsync(clusters.Length == 0 ? null : clusters, SecurityCheckCatalog.Select(checkIds), CancellationToken.None);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            return outcomes.SelectMany(o => o.Value!).ToList();
        }

        // Passes DescribeDBInstances answers of the double through a rewrite (which may throw); everything else goes to the double.
        private sealed class InstanceFaultRds : IRdsApi
        {
            private readonly IRdsApi _inner;
            private readonly Func<IReadOnlyList<RdsDbInstance>, IReadOnlyList<RdsDbInstance>> _rewrite;

            public InstanceFaultRds(IRdsApi inner, Func<IReadOnlyList<RdsDbInstance>, IReadOnlyList<RdsDbInstance>> rewrite)
            {
                _inner = inner;
                _rewrite = rewrite;
            }

            public async Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) =>
                _rewrite(await _inner.DescribeDBInstancesAsync(id, filters, ct));

            public Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string name, CancellationToken ct = default) => _inner.DescribeDBProxyTargetsAsync(name, ct);
            public Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? id = null, string? type = null, CancellationToken ct = default) => _inner.DescribeDBClusterSnapshotsAsync(id, type, ct);
            public Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string id, CancellationToken ct = default) => _inner.DescribeDBClusterSnapshotAttributesAsync(id, ct);

            public Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => _inner.DescribeDBClustersAsync(id, filters, ct);
            public Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? name = null, CancellationToken ct = default) => _inner.DescribeDBClusterParameterGroupsAsync(name, ct);
            public Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string name, string? source = null, CancellationToken ct = default) => _inner.DescribeDBClusterParametersAsync(name, source, ct);
            public Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string family, CancellationToken ct = default) => _inner.DescribeEngineDefaultClusterParametersAsync(family, ct);
            public Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? id = null, CancellationToken ct = default) => _inner.DescribeCertificatesAsync(id, ct);
            public Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? name = null, CancellationToken ct = default) => _inner.DescribeDBProxiesAsync(name, ct);
            public Task<string> ModifyDBClusterParameterGroupAsync(string name, IReadOnlyList<RdsParameter> parameters, CancellationToken ct = default) => _inner.ModifyDBClusterParameterGroupAsync(name, parameters, ct);
            public Task<string> ResetDBClusterParameterGroupAsync(string name, bool all, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken ct = default) => _inner.ResetDBClusterParameterGroupAsync(name, all, parameters, ct);
            public Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string name, string family, string description, CancellationToken ct = default) => _inner.CreateDBClusterParameterGroupAsync(name, family, description, ct);
            public Task<RdsDbCluster> ModifyDBClusterAsync(string id, string? group = null, bool? iam = null, bool now = false, CancellationToken ct = default) => _inner.ModifyDBClusterAsync(id, group, iam, now, ct);
            public Task<RdsDbInstance> RebootDBInstanceAsync(string id, CancellationToken ct = default) => _inner.RebootDBInstanceAsync(id, ct);
        }
    }
}
