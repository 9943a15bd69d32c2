using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Repair
{
    /// <summary>How a repair may go about its fixes.</summary>
    public sealed class FindingRepairOptions
    {
        /// <summary>Move clusters on a default group to a custom group even when no AURSEC-CFG-001 finding asks for it.</summary>
        public bool CreateCustomGroup { get; set; }

        /// <summary>The baseline's allowed ciphers for a cluster (null or empty: the strongest set its release supports).</summary>
        public Func<AuroraCluster, IReadOnlyList<string>?>? AllowedCiphers { get; set; }

        /// <summary>Whether a database login was given, so accounts without REQUIRE SSL can be fixed.</summary>
        public bool CanLogIn { get; set; }
    }

    /// <summary>
    /// Turns the failed findings of one region into the change cmdlets' plans: each cluster parameter group gets one plan with every value its
    /// clusters' findings need (one ModifyDBClusterParameterGroup), a cluster on a default group gets its own custom group, IAM authentication is
    /// one ModifyDBCluster per cluster; findings without a fix are skipped with the reason. Reads only.
    /// </summary>
    public sealed class FindingRepairPlanner
    {
        private readonly ClusterSecurityChanger _changer;
        private readonly FindingRepairOptions _options;

        public FindingRepairPlanner(ClusterSecurityChanger changer, FindingRepairOptions? options = null)
        {
            _changer = changer ?? throw new ArgumentNullException(nameof(changer));
            _options = options ?? new FindingRepairOptions();
        }

        /// <summary>
        /// The findings that may be repaired with credentials acting in <paramref name="account"/> (null when not known): a finding from
        /// another account is never repaired there, whatever cluster of the same name the account has; <paramref name="refused"/> gets
        /// each with the error that says so. <paramref name="roleArn"/> is the -RoleArn the account comes from, if any.
        /// </summary>
        public static IReadOnlyList<Finding> InAccount(IEnumerable<Finding> findings, string? account, string? roleArn, Action<Finding, AuroraSecurityException> refused)
        {
            if (findings == null) throw new ArgumentNullException(nameof(findings));
            if (refused == null) throw new ArgumentNullException(nameof(refused));
            var kept = new List<Finding>();
            foreach (var finding in findings)
            {
                var from = finding.AccountId;
                if (account == null || from == null || string.Equals(from, account, StringComparison.Ordinal))
                {
                    kept.Add(finding);
                    continue;
                }

                var actor = roleArn != null ? $"the role is in account {account} ({roleArn})" : $"the credentials in use act in account {account}";
                refused(finding, new AuroraSecurityException("FindingAccountMismatch", FailureKind.InvalidArgument,
                    $"{finding.CheckId} on {finding.ClusterIdentifier}: this finding is from account {from}; {actor}: pipe each account's findings with its own -RoleArn. " +
                    "Nothing was read or changed for it."));
            }

            return kept;
        }

        /// <summary>True for the statuses a repair acts on (Fail and Warning); others are left alone.</summary>
        public static bool WantsRepair(Finding finding) => finding != null && (finding.Status == FindingStatus.Fail || finding.Status == FindingStatus.Warning);

        /// <summary>Plans the repair of <paramref name="findings"/> (one region's; statuses other than Fail and Warning are ignored).</summary>
        public async Task<RepairPlan> PlanAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
        {
            if (findings == null) throw new ArgumentNullException(nameof(findings));
            var skipped = new List<SkippedFinding>();
            var refused = new List<RepairRefusal>();
            var steps = new List<RepairStep>();
            var accounts = new List<AccountRepair>();

            var fixable = new List<(Finding Finding, FindingFix Fix)>();
            foreach (var finding in Distinct(findings.Where(WantsRepair)))
            {
                var fix = FindingFixes.For(finding.CheckId);
                if (fix == null)
                {
                    skipped.Add(new SkippedFinding(finding, $"{finding.CheckId} has no automatic fix; it needs a decision or a change outside the cluster's TLS settings.", ManualRecommendation(finding)));
                }
                else if (fix == FindingFix.AccountsRequireTls && !_options.CanLogIn)
                {
                    skipped.Add(new SkippedFinding(finding, "Accounts are changed over SQL: pass -SqlCredential (the master user or an account allowed to ALTER USER), -UseManagedMasterSecret or -IamAuthentication -DbUser to repair them.", ManualRecommendation(finding)));
                }
                else
                {
                    fixable.Add((finding, fix.Value));
                }
            }

            if (fixable.Count == 0) return new RepairPlan(steps, skipped, refused, accounts);

            var ids = fixable.Select(f => f.Finding.ClusterIdentifier).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var found = await _changer.ClusterService.GetClustersAsync(ids, cancellationToken).ConfigureAwait(false);
            var wanted = new List<ClusterFixes>();
            foreach (var outcome in found)
            {
                var mine = fixable.Where(f => string.Equals(f.Finding.ClusterIdentifier, outcome.Identifier, StringComparison.OrdinalIgnoreCase)).ToList();
                if (!outcome.Succeeded)
                {
                    refused.Add(new RepairRefusal(mine.Select(m => m.Finding).ToList(), outcome.Error!));
                    continue;
                }

                wanted.Add(Decide(outcome.Value!, mine, skipped, refused, accounts));
            }

            // Clusters on one custom group share one plan; a cluster on a default group gets a group of its own.
            foreach (var byGroup in wanted.Where(w => w.NeedsGroupPlan).GroupBy(w => w.IsDefaultGroup ? "cluster\u0001" + w.Cluster.ClusterIdentifier : "group\u0001" + w.Cluster.ParameterGroupName, StringComparer.OrdinalIgnoreCase))
            {
                var members = byGroup.OrderBy(w => w.Cluster.ClusterIdentifier, StringComparer.Ordinal).ToList();
                var groupFindings = members.SelectMany(m => m.GroupFindings).ToList();
                try
                {
                    var changes = MergedChanges(members);
                    var first = members[0];
                    var createGroup = first.IsDefaultGroup && (first.WantsCustomGroup || _options.CreateCustomGroup);
                    var plan = await _changer.PlanForClusterAsync(first.Cluster, changes, createGroup, null, cancellationToken).ConfigureAwait(false);
                    steps.Add(new RepairStep(plan, groupFindings));
                }
                catch (AuroraSecurityException e)
                {
                    refused.Add(new RepairRefusal(groupFindings, e));
                }
            }

            foreach (var w in wanted.Where(w => w.IamFinding != null))
            {
                steps.Add(new RepairStep(_changer.PlanIamAuthentication(w.Cluster, true), new[] { w.IamFinding! }));
            }

            return new RepairPlan(steps, skipped, refused, accounts);
        }

        private ClusterFixes Decide(AuroraCluster cluster, IReadOnlyList<(Finding Finding, FindingFix Fix)> findings, List<SkippedFinding> skipped, List<RepairRefusal> refused, List<AccountRepair> accounts)
        {
            var fixes = new ClusterFixes(cluster);
            IReadOnlyList<string>? ciphers = null;
            string? cipherProblem = null;
            var rules = AuroraTlsRules.TryFor(cluster.AuroraMajorVersion);
            // Where tls_version cannot be set but ssl_cipher can (Aurora MySQL 3), TLS 1.2-only ciphers keep out TLS 1.0 and 1.1.
            var ciphersInsteadOfTlsVersion = rules != null && !rules.TlsVersionSettable && rules.CipherSuitesConfigurable;
            var tls12Only = findings.Any(f => f.Fix == FindingFix.TlsVersion) && ciphersInsteadOfTlsVersion;
            if (findings.Any(f => f.Fix == FindingFix.SslCipher) || tls12Only)
            {
                ciphers = RepairCiphers.For(cluster.EngineVersion, _options.AllowedCiphers?.Invoke(cluster), out cipherProblem);
                if (ciphers != null && tls12Only)
                {
                    // The same list must also keep out TLS 1.0 and 1.1 on Aurora MySQL 3 (no tls_version there).
                    var tls12 = ciphers.Where(c => CipherCatalog.Find(c)?.Protocol == "TLS 1.2").ToList();
                    if (tls12.Count == 0) cipherProblem = $"none of the ciphers chosen for it ({string.Join(", ", ciphers)}) is a TLS 1.2 cipher, so they cannot keep out TLS 1.0 and 1.1";
                    ciphers = tls12.Count == 0 ? null : tls12;
                }
            }

            foreach (var (finding, fix) in findings)
            {
                switch (fix)
                {
                    case FindingFix.RequireSecureTransport:
                        if (rules != null && !rules.RequireSecureTransportAvailable) skipped.Add(new SkippedFinding(finding, $"Cluster '{cluster.ClusterIdentifier}' runs Aurora MySQL version 1, which has no require_secure_transport parameter.", ManualRecommendation(finding)));
                        else fixes.Add(finding, () => fixes.RequireSecureTransport = true);
                        break;
                    case FindingFix.TlsVersion when rules != null && rules.TlsVersionSettable:
                        fixes.Add(finding, () => fixes.TlsVersion12 = true);
                        break;
                    case FindingFix.TlsVersion when ciphersInsteadOfTlsVersion && ciphers != null:
                        fixes.Add(finding, () => fixes.Ciphers = ciphers);
                        break;
                    case FindingFix.TlsVersion:
                        skipped.Add(new SkippedFinding(finding, ciphersInsteadOfTlsVersion
                            ? $"On Aurora MySQL 3 TLS 1.0 and 1.1 are kept out by ssl_cipher, and {cipherProblem}."
                            : $"Cluster '{cluster.ClusterIdentifier}' ({cluster.EngineVersion}) has no settable tls_version.", ManualRecommendation(finding)));
                        break;
                    case FindingFix.SslCipher when ciphers != null:
                        fixes.Add(finding, () => fixes.Ciphers = ciphers);
                        break;
                    case FindingFix.SslCipher:
                        skipped.Add(new SkippedFinding(finding, $"No cipher list can be set on cluster '{cluster.ClusterIdentifier}': {cipherProblem}.", ManualRecommendation(finding)));
                        break;
                    case FindingFix.CustomParameterGroup when !fixes.IsDefaultGroup:
                        skipped.Add(new SkippedFinding(finding, $"Cluster '{cluster.ClusterIdentifier}' already uses the custom group '{cluster.ParameterGroupName}'; nothing to do.", "Run the audit again: the finding is older than the cluster's current group."));
                        break;
                    case FindingFix.CustomParameterGroup:
                        fixes.Add(finding, () => fixes.WantsCustomGroup = true);
                        break;
                    case FindingFix.IamAuthentication:
                        fixes.IamFinding ??= finding;
                        break;
                    case FindingFix.AccountsRequireTls when string.IsNullOrEmpty(cluster.Endpoint):
                        refused.Add(new RepairRefusal(new[] { finding }, new AuroraSecurityException("AccountRepairNoEndpoint", FailureKind.NotFound,
                            $"RDS reported no writer endpoint for cluster '{cluster.ClusterIdentifier}' (status {cluster.Status ?? "unknown"}), so no login can be made to change its accounts; try again when the cluster is available.")));
                        break;
                    case FindingFix.AccountsRequireTls:
                        accounts.Add(new AccountRepair(cluster, finding));
                        break;
                }
            }

            return fixes;
        }

        // One value per parameter for a group: every cluster asks for the same require_secure_transport and tls_version; cipher lists
        // chosen per release meet in the ciphers every cluster's release supports.
        private static IReadOnlyList<TlsParameterChange> MergedChanges(IReadOnlyList<ClusterFixes> members)
        {
            var changes = new List<TlsParameterChange>();
            if (members.Any(m => m.RequireSecureTransport)) changes.Add(TlsParameterChange.RequireSecureTransport(true));
            if (members.Any(m => m.TlsVersion12)) changes.Add(TlsParameterChange.TlsVersion("TLSv1.2"));
            var lists = members.Where(m => m.Ciphers != null).Select(m => m.Ciphers!).ToList();
            if (lists.Count > 0)
            {
                var common = lists.Aggregate((a, b) => RepairCiphers.Common(a, b));
                if (common.Count == 0)
                {
                    throw new AuroraSecurityException("NoCommonCipherList", FailureKind.InvalidOperation,
                        $"The clusters that share parameter group '{members[0].Cluster.ParameterGroupName}' support no common cipher list: " +
                        string.Join("; ", members.Where(m => m.Ciphers != null).Select(m => $"{m.Cluster.ClusterIdentifier} ({m.Cluster.EngineVersion}): {string.Join(", ", m.Ciphers!)}")) +
                        ". Give the clusters groups of their own, or set ssl_cipher by hand with Set-AuroraCipherSuite; nothing was sent.");
                }

                changes.Add(TlsParameterChange.SslCipher(common));
            }

            return changes;
        }

        private static IEnumerable<Finding> Distinct(IEnumerable<Finding> findings)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in findings)
            {
                if (seen.Add(f.ClusterIdentifier + "\u0001" + f.CheckId)) yield return f;
            }
        }

        private static string ManualRecommendation(Finding finding) =>
            !string.IsNullOrWhiteSpace(finding.Recommendation) ? finding.Recommendation
                : SecurityCheckCatalog.Find(finding.CheckId)?.RecommendationFor(finding.ClusterIdentifier) ?? "See the finding's reason; Get-AuroraSecurityCheck describes the check.";

        private sealed class ClusterFixes
        {
            public ClusterFixes(AuroraCluster cluster) => Cluster = cluster;

            public AuroraCluster Cluster { get; }

            public bool RequireSecureTransport { get; set; }

            public bool TlsVersion12 { get; set; }

            public IReadOnlyList<string>? Ciphers { get; set; }

            public bool WantsCustomGroup { get; set; }

            public Finding? IamFinding { get; set; }

            public List<Finding> GroupFindings { get; } = new List<Finding>();

            public bool IsDefaultGroup => AuroraTlsConfig.IsDefaultGroupName(Cluster.ParameterGroupName ?? string.Empty);

            public bool NeedsGroupPlan => RequireSecureTransport || TlsVersion12 || Ciphers != null || (WantsCustomGroup && IsDefaultGroup);

            public void Add(Finding finding, Action apply)
            {
                apply();
                GroupFindings.Add(finding);
            }
        }
    }
}
