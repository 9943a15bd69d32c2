using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Repair;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.Repair
{
    /// <summary>The repair planner against the RDS double: real audit findings in, the change cmdlets' plans out, proved by what the double received.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class FindingRepairPlannerTests
    {
        private static readonly string[] Mutating =
        {
            "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "CreateDBClusterParameterGroup", "ModifyDBCluster", "RebootDBInstance",
        };

        private static List<RecordedRequest> MutatingRequests(DoubleClient d) => d.Server.Requests.Where(r => Mutating.Contains(r.Action)).ToList();

        private static async Task<List<Finding>> AuditAsync(IRdsApi rds, string[] checkIds, params string[] clusters)
        {
            var runner = new SecurityAuditRunner(rds, DoubleClient.Region);
            var outcomes = await runner.RunAsync(clusters, SecurityCheckCatalog.Select(checkIds), CancellationToken.None);
            return outcomes.SelectMany(o => o.Value!).ToList();
        }

        private static List<Finding> Failed(IEnumerable<Finding> findings) => findings.Where(f => f.Status == FindingStatus.Fail || f.Status == FindingStatus.Warning).ToList();

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task ASharedGroupGetsOneModifyCarryingEveryValueItsClustersNeed(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            var findings = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.TlsVersion }, "orders", "billing"));
            Assert.Equal(4, findings.Count);
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region) { ReadBackTimeout = TimeSpan.FromSeconds(5), ReadBackInterval = TimeSpan.FromMilliseconds(100) };

            var plan = await new FindingRepairPlanner(changer).PlanAsync(findings, CancellationToken.None);
            var step = Assert.Single(plan.Steps);
            Assert.Empty(plan.Skipped);
            Assert.Empty(plan.Refused);
            Assert.Equal("shared-aurora-mysql57", step.Plan.ParameterGroupName);
            Assert.Equal(new[] { "billing", "orders" }, step.Plan.Clusters);
            Assert.Equal(new[] { "require_secure_transport", "tls_version" }, step.Plan.ParameterNames);
            Assert.Equal(4, step.Findings.Count);
            Assert.Empty(MutatingRequests(d));

            var sent = await changer.ApplyAsync(step.Plan, CancellationToken.None);
            var modify = Assert.Single(MutatingRequests(d));
            Assert.Equal("ModifyDBClusterParameterGroup", modify.Action);
            Assert.Equal("require_secure_transport", modify.Parameters["Parameters.Parameter.1.ParameterName"]);
            Assert.Equal("immediate", modify.Parameters["Parameters.Parameter.1.ApplyMethod"]);
            Assert.Equal("tls_version", modify.Parameters["Parameters.Parameter.2.ParameterName"]);
            Assert.Equal("TLSv1.2", modify.Parameters["Parameters.Parameter.2.ParameterValue"]);
            Assert.Equal("pending-reboot", modify.Parameters["Parameters.Parameter.2.ApplyMethod"]);
            Assert.Contains("require_secure_transport='1'", sent);
            Assert.Contains("tls_version='TLSv1.2'", sent);

            // tls_version is static: both clusters hold the values but wait for their instances to reboot.
            var results = await changer.ReadBackAsync(step.Plan, ChangeOutcome.Applied, CancellationToken.None, sent);
            Assert.Equal(new[] { "billing", "orders" }, results.Select(r => r.Identifier));
            Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
            Assert.All(results, r => Assert.Equal(ChangeOutcome.Pending, r.Value!.Change));
            Assert.All(results, r => Assert.True(r.Value!.RequireSecureTransport));
            Assert.All(results, r => Assert.Contains("tls_version is applied at each instance's next reboot", r.Value!.ChangeNote));
        }

        [Fact]
        public async Task ChecksWithoutAFixAndUnknownIdsAreSkippedWithTheManualRecommendation()
        {
            await using var d = await DoubleClient.StartAsync();
            var legacy = await AuditAsync(d.Client, new[] { SecurityCheckCatalog.CaCertificate }, "legacy");
            var ca = Assert.Single(Failed(legacy));
            var unknown = new Finding { CheckId = "AURSEC-NET-001", Status = FindingStatus.Fail, ClusterIdentifier = "orders", Region = DoubleClient.Region, Recommendation = "Remove 0.0.0.0/0 from the security group" };
            var passed = new Finding { CheckId = SecurityCheckCatalog.RequireSecureTransport, Status = FindingStatus.Pass, ClusterIdentifier = "analytics", Region = DoubleClient.Region };
            var suppressed = new Finding { CheckId = SecurityCheckCatalog.RequireSecureTransport, Status = FindingStatus.Suppressed, ClusterIdentifier = "orders", Region = DoubleClient.Region };
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);

            var plan = await new FindingRepairPlanner(changer).PlanAsync(new[] { ca, unknown, passed, suppressed }, CancellationToken.None);

            Assert.Empty(plan.Steps);
            Assert.Empty(plan.Refused);
            Assert.Equal(new[] { SecurityCheckCatalog.CaCertificate, "AURSEC-NET-001" }, plan.Skipped.Select(s => s.CheckId));
            Assert.All(plan.Skipped, s => Assert.Contains("no automatic fix", s.Reason));
            Assert.Equal(ca.Recommendation, plan.Skipped[0].Recommendation);
            Assert.Equal("Remove 0.0.0.0/0 from the security group", plan.Skipped[1].Recommendation);
            Assert.Equal(FindingStatus.Fail, plan.Skipped[1].Status);
            Assert.Null(FindingFixes.For("AURSEC-BAK-001"));
            Assert.Equal(FindingFix.SslCipher, FindingFixes.For("aursec-tls-004"));
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task CiphersAreTheBaselinesAllowedOnesOrTheStrongestSetTheReleaseSupports()
        {
            await using var d = await DoubleClient.StartAsync();
            var findings = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.CipherSupport }, "legacy"));
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);

            // 2.10.1 has no ECDHE: the strongest it supports is the DHE AES-GCM pair.
            var strongest = await new FindingRepairPlanner(changer).PlanAsync(findings, CancellationToken.None);
            var modification = Assert.Single(Assert.Single(strongest.Steps).Plan.Modifications);
            Assert.Equal("ssl_cipher", modification.ParameterName);
            Assert.Equal("DHE-RSA-AES256-GCM-SHA384,DHE-RSA-AES128-GCM-SHA256", modification.ParameterValue);

            var allowed = new FindingRepairOptions { AllowedCiphers = _ => new[] { "ECDHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-GCM-SHA256" } };
            var baseline = await new FindingRepairPlanner(changer, allowed).PlanAsync(findings, CancellationToken.None);
            Assert.Equal("DHE-RSA-AES128-GCM-SHA256", Assert.Single(Assert.Single(baseline.Steps).Plan.Modifications).ParameterValue);

            var none = new FindingRepairOptions { AllowedCiphers = _ => new[] { "ECDHE-RSA-AES256-GCM-SHA384" } };
            var refused = await new FindingRepairPlanner(changer, none).PlanAsync(findings, CancellationToken.None);
            Assert.Empty(refused.Steps);
            Assert.Contains("supports none of the baseline's allowed ciphers", Assert.Single(refused.Skipped).Reason);
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task ADefaultGroupNeedsTheCustomGroupFindingThenOneNewGroupCarriesTheFixes()
        {
            await using var d = await DoubleClient.StartAsync();
            var all = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.NoDheCipher, SecurityCheckCatalog.CustomParameterGroup }, "inventory"));
            Assert.Equal(3, all.Count);
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region) { ReadBackTimeout = TimeSpan.FromSeconds(5) };

            var withoutGroup = await new FindingRepairPlanner(changer).PlanAsync(all.Where(f => f.CheckId != SecurityCheckCatalog.CustomParameterGroup).ToList(), CancellationToken.None);
            Assert.Empty(withoutGroup.Steps);
            var refusal = Assert.Single(withoutGroup.Refused);
            Assert.Equal("DefaultParameterGroup", refusal.Error.ErrorId);
            Assert.Contains("-CreateCustomGroup", refusal.Error.Message);
            Assert.Equal(2, refusal.Findings.Count);

            var plan = await new FindingRepairPlanner(changer).PlanAsync(all, CancellationToken.None);
            var step = Assert.Single(plan.Steps);
            Assert.True(step.Plan.CreatesParameterGroup);
            Assert.Equal("inventory-aurora-mysql80", step.Plan.ParameterGroupName);
            Assert.Equal(new[] { "require_secure_transport", "ssl_cipher" }, step.Plan.Modifications.Select(m => m.ParameterName));
            Assert.Equal(3, step.Findings.Count);

            await changer.ApplyAsync(step.Plan, CancellationToken.None);
            var sent = MutatingRequests(d);
            Assert.Equal("CreateDBClusterParameterGroup", sent[0].Action);
            var modify = Assert.Single(sent, r => r.Action == "ModifyDBClusterParameterGroup");
            Assert.Equal("ECDHE-RSA-AES256-GCM-SHA384,ECDHE-RSA-AES128-GCM-SHA256", modify.Parameters["Parameters.Parameter.2.ParameterValue"]);
            Assert.Equal("ModifyDBCluster", sent.Last().Action);
            Assert.Equal("inventory-aurora-mysql80", sent.Last().Parameters["DBClusterParameterGroupName"]);

            var results = await changer.ReadBackAsync(step.Plan, ChangeOutcome.Applied, CancellationToken.None);
            Assert.Equal(ChangeOutcome.Pending, Assert.Single(results).Value!.Change);
        }

        [Fact]
        public async Task TheCustomGroupFindingAloneMovesTheClusterToAGroupOfItsOwn()
        {
            await using var d = await DoubleClient.StartAsync();
            var group = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.CustomParameterGroup }, "inventory"));
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region) { ReadBackTimeout = TimeSpan.FromSeconds(5) };

            var step = Assert.Single((await new FindingRepairPlanner(changer).PlanAsync(group, CancellationToken.None)).Steps);
            Assert.True(step.Plan.CreatesParameterGroup);
            Assert.Empty(step.Plan.Modifications);
            await changer.ApplyAsync(step.Plan, CancellationToken.None);
            Assert.Equal(new[] { "CreateDBClusterParameterGroup", "ModifyDBCluster" }, MutatingRequests(d).Select(r => r.Action));

            var result = Assert.Single(await changer.ReadBackAsync(step.Plan, ChangeOutcome.Applied, CancellationToken.None));
            Assert.True(result.Succeeded, result.ToString());
            Assert.Equal("inventory-aurora-mysql80", result.Value!.ParameterGroupName);
            Assert.Equal(ChangeOutcome.Pending, result.Value.Change);
        }

        [Fact]
        public async Task IamAuthenticationIsOneModifyDBClusterPerCluster()
        {
            await using var d = await DoubleClient.StartAsync();
            var iam = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.IamAuthentication }, "billing", "legacy"));
            Assert.Equal(2, iam.Count);
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var plan = await new FindingRepairPlanner(changer).PlanAsync(iam, CancellationToken.None);
            Assert.Equal(new[] { "billing", "legacy" }, plan.Steps.Select(s => s.Plan.ClusterIdentifier));
            Assert.All(plan.Steps, s => Assert.True(s.Plan.EnableIamDatabaseAuthentication));
        }

        [Fact]
        public async Task TheReauditShowsTheRepairedChecksAfterTheFix()
        {
            await using var d = await DoubleClient.StartAsync();
            var findings = Failed(await AuditAsync(d.Client, new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.TlsVersion }, "orders"));
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var step = Assert.Single((await new FindingRepairPlanner(changer).PlanAsync(findings, CancellationToken.None)).Steps);
            await changer.ApplyAsync(step.Plan, CancellationToken.None);

            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region);
            var checks = new List<KeyValuePair<string, IReadOnlyCollection<string>>>
            {
                new KeyValuePair<string, IReadOnlyCollection<string>>("orders", new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.TlsVersion, SecurityCheckCatalog.NoPendingReboot, "AURSEC-NET-009" }),
            };
            var after = Assert.Single(await RepairReaudit.RunAsync(runner, checks, new AuditOptions(), CancellationToken.None));
            var byCheck = after.Value!.ToDictionary(f => f.CheckId);
            Assert.Equal(3, byCheck.Count);
            Assert.Equal(FindingStatus.Pass, byCheck[SecurityCheckCatalog.RequireSecureTransport].Status);
            Assert.Equal(FindingStatus.Pass, byCheck[SecurityCheckCatalog.TlsVersion].Status);
            Assert.Equal(FindingStatus.Warning, byCheck[SecurityCheckCatalog.NoPendingReboot].Status);
            Assert.Contains("orders-1", byCheck[SecurityCheckCatalog.NoPendingReboot].Reason);
        }

        [Fact]
        public async Task SeveralChangesSendOnlyTheValuesThatDifferAndRefuseAParameterTwice()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var analytics = (await changer.ClusterService.GetClustersAsync(new[] { "analytics" }, CancellationToken.None)).Single().Value!;
            var plan = await changer.PlanForClusterAsync(analytics,
                new[] { TlsParameterChange.RequireSecureTransport(true), TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384" }) }, false, null, CancellationToken.None);
            Assert.False(plan.IsUnchanged);
            Assert.Equal("ssl_cipher", Assert.Single(plan.Modifications).ParameterName);
            Assert.Equal(new[] { "require_secure_transport", "ssl_cipher" }, plan.ParameterNames);

            var holds = await changer.PlanForClusterAsync(analytics, new[] { TlsParameterChange.RequireSecureTransport(true) }, false, null, CancellationToken.None);
            Assert.True(holds.IsUnchanged);

            await Assert.ThrowsAsync<ArgumentException>(() => changer.PlanForClusterAsync(analytics,
                new[] { TlsParameterChange.RequireSecureTransport(true), TlsParameterChange.RequireSecureTransport(false) }, false, null, CancellationToken.None));
            Assert.Empty(MutatingRequests(d));
        }

        [Fact]
        public async Task ThreeParametersOfOneGroupGoInOneModify()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = new ClusterSecurityChanger(d.Client, DoubleClient.Region);
            var legacy = (await changer.ClusterService.GetClustersAsync(new[] { "legacy" }, CancellationToken.None)).Single().Value!;
            var plan = await changer.PlanForClusterAsync(legacy,
                new[] { TlsParameterChange.RequireSecureTransport(true), TlsParameterChange.TlsVersion("TLSv1.2"), TlsParameterChange.SslCipher(new[] { "DHE-RSA-AES256-GCM-SHA384" }) }, false, null, CancellationToken.None);
            await changer.ApplyAsync(plan, CancellationToken.None);
            var modify = Assert.Single(MutatingRequests(d));
            Assert.Equal("ssl_cipher", modify.Parameters["Parameters.Parameter.3.ParameterName"]);
            Assert.False(modify.Parameters.ContainsKey("Parameters.Parameter.4.ParameterName"));
        }
    }

    /// <summary>The cipher list a repair sets, from the cipher table's rules per release.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class RepairCiphersTests
    {
        [Fact]
        public void TheChoiceFollowsTheReleasesCipherSupport()
        {
            Assert.Equal(new[] { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" }, RepairCiphers.For("8.0.mysql_aurora.3.05.2", null, out _));
            Assert.Equal(new[] { "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256" }, RepairCiphers.For("5.7.mysql_aurora.2.11.2", null, out _));
            Assert.Equal(new[] { "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-GCM-SHA256" }, RepairCiphers.For("5.7.mysql_aurora.2.10.1", null, out _));
            Assert.Null(RepairCiphers.For("8.0.mysql_aurora.3.00.0", null, out var reason));
            Assert.Contains("3.01.0", reason);
            Assert.Null(RepairCiphers.For("garbage", null, out reason));
            Assert.Contains("garbage", reason);
            Assert.Equal(new[] { "DHE-RSA-AES128-GCM-SHA256" }, RepairCiphers.Common(new[] { "DHE-RSA-AES256-SHA", "DHE-RSA-AES128-GCM-SHA256" }, new[] { "DHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA" }));
        }
    }
}
