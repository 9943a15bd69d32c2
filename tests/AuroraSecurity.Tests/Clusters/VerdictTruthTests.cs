using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Tls;
using RdsDouble;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>
    /// Verdicts against both ways the double answers (full, and minimal: a terse RDS that leaves optional fields out and applies
    /// some changes later than it acknowledges them). The property: no read, check or change reports Pass, true or Applied that
    /// the double's own state contradicts.
    /// </summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class VerdictTruthTests
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(150);

        private static ClusterSecurityChanger Changer(DoubleClient d) =>
            new ClusterSecurityChanger(d.Client, DoubleClient.Region) { ReadBackInterval = Poll, ReadBackTimeout = TimeSpan.FromSeconds(8) };

        private static async Task<AuroraCluster> ClusterAsync(ClusterSecurityChanger changer, string id) =>
            (await changer.ClusterService.GetClustersAsync(new[] { id }, CancellationToken.None)).Single().Value!;

        private static async Task<IReadOnlyList<Finding>> AuditAsync(DoubleClient d, params string[] clusters)
        {
            var runner = new SecurityAuditRunner(d.Client, DoubleClient.Region);
            var outcomes = await runner.RunAsync(clusters.Length == 0 ? null : clusters, SecurityCheckCatalog.All, CancellationToken.None);
            return outcomes.Where(o => o.Succeeded).SelectMany(o => o.Value!).ToList();
        }

        // ---- the property ----------------------------------------------------------------------------------------------

        /// <summary>The value the double holds in effect for a parameter of a group: the user setting, else the family default.</summary>
        private static string? EffectiveValue(RdsState state, string group, string name)
        {
            var g = state.FindClusterParameterGroup(group)!;
            return g.Parameters.TryGetValue(name, out var set) ? set.Value : ParameterCatalog.Find(g.Family, name)?.DefaultValue;
        }

        private static bool MembersInSync(RdsState state, string cluster) =>
            state.MembersOf(state.FindCluster(cluster)!).All(m => m.ClusterParameterGroupStatus == "in-sync");

        private static bool On(string? value) => value != null && (value == "1" || value.Equals("ON", StringComparison.OrdinalIgnoreCase));

        private static List<string> Ciphers(string? value) =>
            (value ?? string.Empty).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        /// <summary>Every claim a read or finding makes that the double's state contradicts, in words (empty when none).</summary>
        private static List<string> Contradictions(DoubleClient d, IEnumerable<AuroraTlsConfig> reads, IEnumerable<Finding> findings, DateTime now)
        {
            var wrong = new List<string>();
            lock (d.Server.State.SyncRoot)
            {
                var state = d.Server.State;
                foreach (var read in reads)
                {
                    var c = state.FindCluster(read.ClusterIdentifier)!;
                    var value = EffectiveValue(state, c.ClusterParameterGroup, "require_secure_transport");
                    if (read.RequireSecureTransport == true && !On(value)) wrong.Add($"{read.ClusterIdentifier}: RequireSecureTransport true, state '{value}'");
                    if (read.RequireSecureTransport == false && On(value)) wrong.Add($"{read.ClusterIdentifier}: RequireSecureTransport false, state '{value}'");
                    if (read.IamDatabaseAuthenticationEnabled is bool iam && iam != c.IamDatabaseAuthenticationEnabled) wrong.Add($"{read.ClusterIdentifier}: IAM {iam}, state {c.IamDatabaseAuthenticationEnabled}");
                    if (read.Change == ChangeOutcome.Applied)
                    {
                        if (!MembersInSync(state, read.ClusterIdentifier)) wrong.Add($"{read.ClusterIdentifier}: Applied while members are not in-sync");
                        if (!string.Equals(c.ClusterParameterGroup, read.ParameterGroupName, StringComparison.OrdinalIgnoreCase)) wrong.Add($"{read.ClusterIdentifier}: Applied on '{read.ParameterGroupName}', state '{c.ClusterParameterGroup}'");
                        if (c.PendingIamDatabaseAuthenticationEnabled != null) wrong.Add($"{read.ClusterIdentifier}: Applied while IAM is still pending");
                    }
                }

                foreach (var f in findings.Where(f => f.Status == FindingStatus.Pass))
                {
                    var c = state.FindCluster(f.ClusterIdentifier)!;
                    var group = c.ClusterParameterGroup;
                    var version = global::AuroraSecurity.Engine.AuroraEngineVersion.Parse(c.EngineVersion);
                    var ciphers = Ciphers(EffectiveValue(state, group, "ssl_cipher"));
                    switch (f.CheckId)
                    {
                        case SecurityCheckCatalog.RequireSecureTransport:
                            if (!On(EffectiveValue(state, group, "require_secure_transport"))) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass, require_secure_transport not ON");
                            break;
                        case SecurityCheckCatalog.TlsVersion:
                            if (version.AuroraMajorVersion == 2 && EffectiveValue(state, group, "tls_version") != "TLSv1.2") wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass, tls_version '{EffectiveValue(state, group, "tls_version")}'");
                            if (version.AuroraMajorVersion == 3 && ciphers.Any(n => CipherCatalog.Find(n)?.Protocol != "TLS 1.2")) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass with ciphers {string.Join(",", ciphers)}");
                            break;
                        case SecurityCheckCatalog.CipherSupport:
                            if (ciphers.Any(n => !(CipherCatalog.Find(n) is AuroraCipher k && CipherCatalog.SupportFor(k, version).Supported))) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass with ciphers {string.Join(",", ciphers)}");
                            break;
                        case SecurityCheckCatalog.NoDheCipher:
                            if (ciphers.Any(n => CipherCatalog.Find(n)?.Availability == CipherAvailability.Dhe)) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass with ciphers {string.Join(",", ciphers)}");
                            break;
                        case SecurityCheckCatalog.NoPendingReboot:
                            if (!MembersInSync(state, f.ClusterIdentifier)) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass with members not in-sync");
                            break;
                        case SecurityCheckCatalog.IamAuthentication:
                            if (!c.IamDatabaseAuthenticationEnabled) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass, IAM off");
                            break;
                        case SecurityCheckCatalog.StorageEncrypted:
                            if (!c.StorageEncrypted) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass, storage unencrypted");
                            break;
                        case SecurityCheckCatalog.CustomParameterGroup:
                            if (group.StartsWith("default.", StringComparison.Ordinal)) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass on '{group}'");
                            break;
                        case SecurityCheckCatalog.CaCertificate:
                            foreach (var i in state.MembersOf(c))
                            {
                                var cert = state.Certificates.First(k => k.Identifier == i.CaCertificateIdentifier);
                                if (cert.ValidTill.UtcDateTime <= now.AddDays(SecurityCheckCatalog.CertificateWarningDays)) wrong.Add($"{f.ClusterIdentifier} {f.CheckId} Pass, {i.Identifier} expires {cert.ValidTill:o}");
                            }

                            break;
                    }
                }
            }

            return wrong;
        }

        private static async Task<List<AuroraTlsConfig>> ReadAllAsync(DoubleClient d)
        {
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var clusters = await service.ListClustersAsync(CancellationToken.None);
            var cache = service.CreateParameterGroupCache();
            var reads = new List<AuroraTlsConfig>();
            foreach (var c in clusters) reads.Add(await service.GetTlsConfigAsync(c, cache, CancellationToken.None));
            return reads;
        }

        private static async Task<List<AuroraTlsConfig>> ChangeAsync(DoubleClient d, string cluster, TlsParameterChange change, bool createCustomGroup = false)
        {
            var changer = Changer(d);
            var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, cluster), change, createCustomGroup, null, CancellationToken.None);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            var results = await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent);
            Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
            return results.Select(r => r.Value!).ToList();
        }

        private static async Task<AuroraTlsConfig> IamAsync(DoubleClient d, string cluster, bool enable)
        {
            var changer = Changer(d);
            var plan = changer.PlanIamAuthentication(await ClusterAsync(changer, cluster), enable);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            var result = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent));
            Assert.True(result.Succeeded, result.Error?.Message);
            return result.Value!;
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task NoReadCheckOrChangeClaimsWhatTheDoublesStateContradicts(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            var now = DateTime.UtcNow;
            var claims = new List<AuroraTlsConfig>(await ReadAllAsync(d));
            Assert.Empty(Contradictions(d, claims, await AuditAsync(d), now));

            // Every change cmdlet's domain operation, in turn; the property holds after each one and for the audit that follows.
            var changes = new List<AuroraTlsConfig>();
            async Task Step(Task<List<AuroraTlsConfig>> change)
            {
                var results = await change;
                Assert.Empty(Contradictions(d, results, new Finding[0], now));
                changes.AddRange(results);
            }

            await Step(ChangeAsync(d, "billing", TlsParameterChange.RequireSecureTransport(true)));
            await Step(ChangeAsync(d, "analytics", TlsParameterChange.RequireSecureTransport(false)));
            await Step(ChangeAsync(d, "legacy", TlsParameterChange.TlsVersion("TLSv1.2")));
            await Step(ChangeAsync(d, "analytics", TlsParameterChange.SslCipher(new[] { "ECDHE-RSA-AES256-GCM-SHA384" })));
            await Step(ChangeAsync(d, "inventory", TlsParameterChange.RequireSecureTransport(true), createCustomGroup: true));
            await Step(IamAsync(d, "billing", true).ContinueWith(t => new List<AuroraTlsConfig> { t.Result }, TaskScheduler.Default));
            await Step(IamAsync(d, "orders", false).ContinueWith(t => new List<AuroraTlsConfig> { t.Result }, TaskScheduler.Default));
            Assert.Empty(Contradictions(d, await ReadAllAsync(d), await AuditAsync(d), now));

            // What each change can honestly say depends on how RDS answers, never on luck.
            Assert.All(changes.Where(c => c.ClusterIdentifier == "legacy" || c.ParameterGroupName == "inventory-aurora-mysql80"), c => Assert.Equal(ChangeOutcome.Pending, c.Change));
            var inventory = changes.Single(c => c.ClusterIdentifier == "inventory");
            Assert.Equal(new[] { "inventory-1", "inventory-2" }, inventory.RebootRequired.OrderBy(x => x));
            var billingIam = changes.Last(c => c.ClusterIdentifier == "billing");
            Assert.Equal(mode == "full" ? ChangeOutcome.Applied : ChangeOutcome.Pending, billingIam.Change);
            if (mode == "minimal")
            {
                Assert.Contains("PendingModifiedValues", billingIam.PendingChange);
                Assert.Contains("Sent: ModifyDBCluster", billingIam.ChangeNote);
            }
        }

        // ---- one case per bullet of the report ------------------------------------------------------------------------------

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task DheCiphersWithoutSourceOnAurora2112AreNeverPassAndTls001GivesNoUpgradeAdvice(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            lock (d.Server.State.SyncRoot)
            {
                var group = d.Server.State.FindClusterParameterGroup("shared-aurora-mysql57")!;
                group.Parameters["ssl_cipher"] = new ParameterSetting { Value = "DHE-RSA-AES256-SHA,AES256-SHA", ApplyMethod = "pending-reboot" };
                group.Parameters["require_secure_transport"] = new ParameterSetting { Value = "OFF", ApplyMethod = "immediate" };
            }

            var orders = (await AuditAsync(d, "orders")).ToDictionary(f => f.CheckId);
            Assert.Equal(FindingStatus.Fail, orders[SecurityCheckCatalog.CipherSupport].Status);
            Assert.Contains("DHE-RSA-AES256-SHA", orders[SecurityCheckCatalog.CipherSupport].Reason);
            Assert.Equal(FindingStatus.Fail, orders[SecurityCheckCatalog.NoDheCipher].Status);
            var tls001 = orders[SecurityCheckCatalog.RequireSecureTransport];
            Assert.Equal(FindingStatus.Fail, tls001.Status);
            Assert.Contains("OFF", tls001.Reason);
            Assert.DoesNotContain("Upgrade", tls001.Recommendation);
            Assert.DoesNotContain("has no require_secure_transport", tls001.Reason);
            Assert.Contains(mode == "full" ? "set in the group" : "source not given", tls001.Reason);
        }

        [Fact]
        public async Task AParameterTheListingLeavesOutIsUnknownAWarningNamingItNotUpgradeAdvice()
        {
            var cluster = new AuroraCluster { ClusterIdentifier = "c", EngineVersion = "5.7.mysql_aurora.2.11.2", AuroraMajorVersion = 2, ParameterGroupName = "g", Region = "us-east-1" };
            var tls = AuroraClusterService.BuildTlsConfig(cluster, new[] { new RdsParameter("max_connections", "100") });
            Assert.Null(tls.RequireSecureTransport);
            Assert.False(tls.SslCipherKnown);
            Assert.False(tls.TlsVersionKnown);
            var evidence = new ClusterEvidence(cluster, DateTime.UtcNow) { TlsConfig = tls };
            foreach (var id in new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.TlsVersion, SecurityCheckCatalog.CipherSupport, SecurityCheckCatalog.NoDheCipher })
            {
                var finding = ClusterChecks.Evaluate(SecurityCheckCatalog.All.Single(c => c.Id == id), evidence);
                Assert.Equal(FindingStatus.Warning, finding.Status);
                Assert.Contains("has no such parameter", finding.Reason);
                Assert.DoesNotContain("Upgrade", finding.Recommendation);
            }

            // Only an engine that really lacks the parameter is told to upgrade.
            var v1 = new AuroraCluster { ClusterIdentifier = "old", Engine = "aurora", EngineVersion = "5.6.10a", AuroraMajorVersion = 1, ParameterGroupName = "g1" };
            var old = ClusterChecks.Evaluate(SecurityCheckCatalog.All.Single(c => c.Id == SecurityCheckCatalog.RequireSecureTransport),
                new ClusterEvidence(v1, DateTime.UtcNow) { TlsConfig = AuroraClusterService.BuildTlsConfig(v1, new RdsParameter[0]) });
            Assert.Equal(FindingStatus.Fail, old.Status);
            Assert.Contains("Upgrade", old.Recommendation);
        }

        [Fact]
        public async Task AbsentClusterFlagsAreUnknownWarningsNeverPassOrFail()
        {
            var cluster = new AuroraCluster { ClusterIdentifier = "c", EngineVersion = "8.0.mysql_aurora.3.05.2", AuroraMajorVersion = 3, ParameterGroupName = "g",
                Members = new[] { new AuroraClusterMember("c-1", true, null) } };
            var evidence = new ClusterEvidence(cluster, DateTime.UtcNow);
            var iam = ClusterChecks.Evaluate(SecurityCheckCatalog.All.Single(c => c.Id == SecurityCheckCatalog.IamAuthentication), evidence);
            Assert.Equal(FindingStatus.Warning, iam.Status);
            Assert.Contains("IAMDatabaseAuthenticationEnabled", iam.Reason);
            var enc = ClusterChecks.Evaluate(SecurityCheckCatalog.All.Single(c => c.Id == SecurityCheckCatalog.StorageEncrypted), evidence);
            Assert.Equal(FindingStatus.Warning, enc.Status);
            Assert.Contains("StorageEncrypted", enc.Reason);
            var reboot = ClusterChecks.Evaluate(SecurityCheckCatalog.All.Single(c => c.Id == SecurityCheckCatalog.NoPendingReboot), evidence);
            Assert.Equal(FindingStatus.Warning, reboot.Status);
            Assert.Contains("DBClusterParameterGroupStatus", reboot.Reason);
            await Task.CompletedTask;
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task IamAuthenticationIsAppliedOnlyWhenReadBackShowsItPendingWhileHeld(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            var result = await IamAsync(d, "billing", true);
            bool inEffect;
            lock (d.Server.State.SyncRoot) inEffect = d.Server.State.FindCluster("billing")!.IamDatabaseAuthenticationEnabled;
            if (result.Change == ChangeOutcome.Applied)
            {
                Assert.True(inEffect);
                Assert.True(result.IamDatabaseAuthenticationEnabled);
            }
            else
            {
                Assert.Equal(ChangeOutcome.Pending, result.Change);
                Assert.Equal(true, result.PendingIamDatabaseAuthenticationEnabled);
                Assert.Contains("IAMDatabaseAuthenticationEnabled=true", result.PendingChange);
            }

            Assert.Equal(mode == "full" ? ChangeOutcome.Applied : ChangeOutcome.Pending, result.Change);
        }

        [Fact]
        public async Task IamAuthenticationReadBackThatContradictsIsAnErrorNamingWhatWasSent()
        {
            await using var d = await DoubleClient.StartAsync();
            var changer = Changer(d);
            changer.ReadBackTimeout = TimeSpan.FromMilliseconds(400);
            var plan = changer.PlanIamAuthentication(await ClusterAsync(changer, "billing"), true);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            lock (d.Server.State.SyncRoot) d.Server.State.FindCluster("billing")!.IamDatabaseAuthenticationEnabled = false; // undone behind our back
            var result = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent));
            Assert.False(result.Succeeded);
            Assert.Equal("ChangeNotConfirmed", result.Error!.ErrorId);
            Assert.Contains("Sent: ModifyDBCluster for cluster 'billing' with EnableIAMDatabaseAuthentication=true", result.Error.Message);
            Assert.Contains("IAMDatabaseAuthenticationEnabled is false", result.Error.Message);
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task CreateCustomGroupIsPendingUntilEveryInstanceRebootsAndNeverSaysInForce(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            var result = Assert.Single(await ChangeAsync(d, "inventory", TlsParameterChange.RequireSecureTransport(true), createCustomGroup: true));
            Assert.Equal(ChangeOutcome.Pending, result.Change);
            Assert.Equal(new[] { "inventory-1", "inventory-2" }, result.RebootRequired.OrderBy(x => x));
            Assert.Contains("takes effect on an instance only when it reboots", result.ChangeNote);
            Assert.DoesNotContain("no reboot is needed", result.ChangeNote);
            Assert.DoesNotContain("are now refused", result.ChangeNote);
            Assert.True(result.PendingReboot);

            // After the reboots the same read-back is Applied, and the double agrees.
            lock (d.Server.State.SyncRoot)
            {
                foreach (var i in d.Server.State.Instances.Where(i => i.ClusterIdentifier == "inventory")) i.ClusterParameterGroupStatus = "in-sync";
            }

            var changer = Changer(d);
            var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, "inventory"), TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);
            Assert.True(plan.IsUnchanged);
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task MissingIsModifiableNeverRefusesAChange(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode);
            var changer = Changer(d);
            foreach (var (cluster, on) in new[] { ("billing", true), ("analytics", true), ("analytics", false) })
            {
                var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, cluster), TlsParameterChange.RequireSecureTransport(on), false, null, CancellationToken.None);
                Assert.NotNull(plan);
            }

            // An explicit IsModifiable=false still refuses, before any request.
            using var client = Rds.FakeRdsHandler.Client(new Rds.FakeRdsHandler((r, n) => r.Form["Action"] == "DescribeDBClusterParameters"
                ? Rds.FakeRdsHandler.Xml(HttpStatusCode.OK, "<DescribeDBClusterParametersResponse><DescribeDBClusterParametersResult><Parameters><Parameter><ParameterName>require_secure_transport</ParameterName><ParameterValue>0</ParameterValue><IsModifiable>false</IsModifiable></Parameter></Parameters></DescribeDBClusterParametersResult></DescribeDBClusterParametersResponse>")
                : Rds.FakeRdsHandler.Xml(HttpStatusCode.OK, "<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters/></DescribeDBClustersResult></DescribeDBClustersResponse>")));
            var refusing = new ClusterSecurityChanger(client, "us-east-1");
            var custom = new AuroraCluster { ClusterIdentifier = "x", EngineVersion = "8.0.mysql_aurora.3.05.2", AuroraMajorVersion = 3, ParameterGroupName = "custom-g" };
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => refusing.PlanForClusterAsync(custom, TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None));
            Assert.Equal("ParameterNotModifiable", e.ErrorId);
        }

        /// <summary>Passes requests to the double, except that chosen ones get an HTML page (a proxy or captive portal) instead.</summary>
        private sealed class HtmlForSomeHandler : DelegatingHandler
        {
            private readonly Func<string, bool> _html;

            public HtmlForSomeHandler(Func<string, bool> html)
                : base(new HttpClientHandler()) => _html = html;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
                if (!_html(body)) return await base.SendAsync(request, cancellationToken);
                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("<!DOCTYPE html><html><head><title>Sign in to the guest network</title></head><body><p>Accept the terms & conditions</body></html>", Encoding.UTF8, "text/html"),
                };
            }
        }

        [Fact]
        public async Task AnHtmlAnswerIsRdsInvalidResponseForThatClusterOnlyNamingEndpointActionStatusAndType()
        {
            await using var server = await RdsDoubleServer.StartAsync(new RdsDoubleOptions { AccessKey = DoubleClient.AccessKey, SecretKey = DoubleClient.SecretKey, Region = DoubleClient.Region });
            var options = new RdsClientOptions(DoubleClient.Region, new StaticCredentialSource(new AwsCredentialSet(DoubleClient.AccessKey, DoubleClient.SecretKey))) { EndpointUrl = server.Endpoint };
            using var client = new RdsQueryClient(options, new HtmlForSomeHandler(body => body.Contains("DescribeDBClusterParameters") && body.Contains("legacy-aurora-mysql57")), disposeHandler: true);
            var service = new AuroraClusterService(client, DoubleClient.Region);
            var clusters = (await service.GetClustersAsync(new[] { "legacy", "analytics" }, CancellationToken.None)).Select(c => c.Value!).ToList();
            var reads = service.StartTlsConfigReads(clusters, service.CreateParameterGroupCache(), CancellationToken.None);
            var legacy = await reads[0];
            var analytics = await reads[1];

            Assert.True(analytics.Succeeded);
            Assert.False(legacy.Succeeded);
            Assert.Equal("RdsInvalidResponse", legacy.Error!.ErrorId);
            var message = legacy.Error.Message;
            Assert.Contains(server.Endpoint.GetLeftPart(UriPartial.Path), message);
            Assert.Contains("DescribeDBClusterParameters", message);
            Assert.Contains("HTTP 200", message);
            Assert.Contains("text/html", message);
            Assert.Contains("an HTML page", message);
            Assert.Contains("legacy", message);
            Assert.DoesNotContain("<", message);
            Assert.DoesNotContain("guest network", message);

            // The audit goes on for the others: Error findings for the TLS checks of legacy only.
            using var ec2 = new AuroraSecurity.Ec2.Ec2SecurityGroupClient(options, server.Endpoint);
            var runner = new SecurityAuditRunner(client, DoubleClient.Region, ec2: ec2);
            var outcomes = await runner.RunAsync(new[] { "legacy", "analytics" }, SecurityCheckCatalog.All, CancellationToken.None);
            var findings = outcomes.SelectMany(o => o.Value!).ToList();
            Assert.Contains(findings, f => f.ClusterIdentifier == "legacy" && f.Status == FindingStatus.Error && f.Reason.Contains("an HTML page"));
            Assert.DoesNotContain(findings, f => f.ClusterIdentifier == "analytics" && f.Status == FindingStatus.Error);
        }

        [Theory]
        [InlineData("", "an empty body")]
        [InlineData("<DescribeDBClustersResponse><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentif", "not well-formed XML")]
        [InlineData("<Unexpected><Thing/></Unexpected>", "root element is <Unexpected>")]
        public async Task TruncatedEmptyOrForeignBodiesAreInvalidResponsesWithoutTheirText(string body, string says)
        {
            var handler = new Rds.FakeRdsHandler((r, n) => Rds.FakeRdsHandler.Xml(HttpStatusCode.OK, body));
            using var client = Rds.FakeRdsHandler.Client(handler);
            var e = await Assert.ThrowsAsync<RdsApiException>(() => client.DescribeDBClustersAsync("orders"));
            Assert.Equal(RdsApiException.InvalidResponseCode, e.Code);
            Assert.Contains(says, e.ApiMessage);
            Assert.Contains("DescribeDBClusters", e.ApiMessage);
            Assert.DoesNotContain("DBClusterIdentif", e.ApiMessage);
            var translated = RdsErrorTranslator.Translate(e, "cluster 'orders'", "us-east-1");
            Assert.Equal("RdsInvalidResponse", translated.ErrorId);
        }

        /// <summary>Passes requests to the double, but answers every DescribeDBClusters after the first ModifyDBCluster with AccessDenied.</summary>
        private sealed class ReadBackDeniedHandler : DelegatingHandler
        {
            private bool _modified;

            public ReadBackDeniedHandler()
                : base(new HttpClientHandler())
            {
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
                if (_modified && body.Contains("Action=DescribeDBClusters"))
                {
                    return new HttpResponseMessage(HttpStatusCode.Forbidden)
                    {
                        Content = new StringContent("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r</RequestId></ErrorResponse>", Encoding.UTF8, "text/xml"),
                    };
                }

                if (body.Contains("Action=ModifyDBCluster&")) _modified = true;
                return await base.SendAsync(request, cancellationToken);
            }
        }

        [Fact]
        public async Task WhenTheReadBackFailsTheErrorSaysWhatWasSentFirst()
        {
            await using var server = await RdsDoubleServer.StartAsync(new RdsDoubleOptions { AccessKey = DoubleClient.AccessKey, SecretKey = DoubleClient.SecretKey, Region = DoubleClient.Region });
            var options = new RdsClientOptions(DoubleClient.Region, new StaticCredentialSource(new AwsCredentialSet(DoubleClient.AccessKey, DoubleClient.SecretKey))) { EndpointUrl = server.Endpoint };
            using var client = new RdsQueryClient(options, new ReadBackDeniedHandler(), disposeHandler: true);
            var changer = new ClusterSecurityChanger(client, DoubleClient.Region);
            var billing = (await changer.ClusterService.GetClustersAsync(new[] { "billing" }, CancellationToken.None)).Single().Value!;
            var plan = changer.PlanIamAuthentication(billing, true);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            var result = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent));
            Assert.False(result.Succeeded);
            var message = result.Error!.Message;
            Assert.StartsWith("Sent: ModifyDBCluster for cluster 'billing' with EnableIAMDatabaseAuthentication=true", message);
            Assert.Contains("RDS accepted the request", message);
            Assert.Contains("rds:DescribeDBClusters", message);
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task ALostAnswerIsReadBackBeforeReportingAndCreateCustomGroupResumes(string mode)
        {
            await using var d = await DoubleClient.StartAsync(o => o.Retry = new RdsRetryPolicy(2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)), mode: mode);

            // Every answer to the changing requests is lost (also the retry's): the state read back decides what is reported.
            d.Server.Answers.DropAnswersAfterApplying(100);
            var changer = Changer(d);
            var inventory = await ClusterAsync(changer, "inventory");
            var plan = await changer.PlanForClusterAsync(inventory, TlsParameterChange.RequireSecureTransport(true), true, null, CancellationToken.None);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            Assert.Contains("answer was lost", sent);
            var result = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent));
            Assert.True(result.Succeeded, result.Error?.Message);
            Assert.Equal(ChangeOutcome.Pending, result.Value!.Change);
            lock (d.Server.State.SyncRoot) Assert.Equal("inventory-aurora-mysql80", d.Server.State.FindCluster("inventory")!.ClusterParameterGroup);

            // A run stopped after the group was created is finished by running again: the group is ours and reused.
            d.Server.Answers.DropAnswersAfterApplying(0);
            lock (d.Server.State.SyncRoot)
            {
                d.Server.State.FindCluster("analytics")!.ClusterParameterGroup = "default.aurora-mysql8.0";
                d.Server.State.ClusterParameterGroups.Add(new ClusterParameterGroupState
                {
                    Name = "analytics-aurora-mysql80", Family = "aurora-mysql8.0",
                    Description = ClusterSecurityChanger.CustomGroupDescription("analytics", "default.aurora-mysql8.0"),
                });
            }

            var again = Changer(d);
            var resume = await again.PlanForClusterAsync(await ClusterAsync(again, "analytics"), TlsParameterChange.RequireSecureTransport(true), true, null, CancellationToken.None);
            Assert.True(resume.ReusesParameterGroup);
            await again.ApplyAsync(resume, CancellationToken.None);
            Assert.DoesNotContain(d.Server.Requests, r => r.Action == "CreateDBClusterParameterGroup" && r.Parameters["DBClusterParameterGroupName"] == "analytics-aurora-mysql80");
            lock (d.Server.State.SyncRoot) Assert.Equal("analytics-aurora-mysql80", d.Server.State.FindCluster("analytics")!.ClusterParameterGroup);

            // A group of that name that is not ours is still refused.
            lock (d.Server.State.SyncRoot)
            {
                d.Server.State.FindCluster("analytics")!.ClusterParameterGroup = "default.aurora-mysql8.0";
                d.Server.State.FindClusterParameterGroup("analytics-aurora-mysql80")!.Description = "someone else's";
            }

            var third = Changer(d);
            var analytics = await ClusterAsync(third, "analytics");
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => third.PlanForClusterAsync(analytics, TlsParameterChange.RequireSecureTransport(true), true, null, CancellationToken.None));
            Assert.Equal("ParameterGroupExists", e.ErrorId);
        }

        [Theory]
        [MemberData(nameof(DoubleClient.Modes), MemberType = typeof(DoubleClient))]
        public async Task ADelayedParameterChangeIsAppliedOnlyOnceItShowsAndAContradictionIsAnError(string mode)
        {
            await using var d = await DoubleClient.StartAsync(mode: mode, parameterDelay: TimeSpan.FromMilliseconds(600));
            var result = await ChangeAsync(d, "analytics", TlsParameterChange.RequireSecureTransport(false));
            Assert.All(result, r => Assert.Equal(ChangeOutcome.Applied, r.Change));
            Assert.All(result, r => Assert.False(r.RequireSecureTransport));

            // A delay longer than the read-back waits: never Applied, an error that says what was sent.
            d.Server.Answers.ParameterChangeDelay = TimeSpan.FromSeconds(30);
            var changer = Changer(d);
            changer.ReadBackTimeout = TimeSpan.FromMilliseconds(500);
            var plan = await changer.PlanForClusterAsync(await ClusterAsync(changer, "analytics"), TlsParameterChange.RequireSecureTransport(true), false, null, CancellationToken.None);
            var sent = await changer.ApplyAsync(plan, CancellationToken.None);
            var late = Assert.Single(await changer.ReadBackAsync(plan, ChangeOutcome.Applied, CancellationToken.None, sent));
            Assert.False(late.Succeeded);
            Assert.Equal("ChangeNotConfirmed", late.Error!.ErrorId);
            Assert.Contains("Sent: ModifyDBClusterParameterGroup for group 'secure-aurora-mysql80' with require_secure_transport='1'", late.Error.Message);
        }
    }
}
