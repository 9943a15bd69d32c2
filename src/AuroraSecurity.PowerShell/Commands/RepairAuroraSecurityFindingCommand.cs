using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Repair;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// Applies the fix of each piped audit finding whose check has one, through the change cmdlets' plans (one ModifyDBClusterParameterGroup per
    /// group), then audits the repaired checks again. Findings without an automatic fix are returned as skipped with what to do by hand.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "AuroraSecurityFinding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AuroraTlsConfig), typeof(UserSslChange), typeof(SkippedFinding), typeof(Finding))]
    public sealed class RepairAuroraSecurityFindingCommand : ClusterChangingCmdlet
    {
        private readonly List<Finding> _findings = new List<Finding>();
        private AuditBaseline? _baseline;

        /// <summary>Findings from Invoke-AuroraSecurityAudit (usually those with Status Fail).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Finding[]? Finding { get; set; }

        /// <summary>The baseline the audit used: its allowed ciphers decide the cipher fix, and the re-audit applies it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Baseline { get; set; }

        /// <summary>Move a cluster on a default parameter group to a custom group of its own for its parameter fixes, even without an AURSEC-CFG-001 finding.</summary>
        [Parameter]
        public SwitchParameter CreateCustomGroup { get; set; }

        /// <summary>
        /// The database login for AURSEC-SQL-001 (accounts without REQUIRE SSL), the master user or an account allowed to ALTER USER: a PSCredential
        /// for every cluster, a hashtable of cluster identifier (or '*') to PSCredential, or a script block that gets the cluster as $_ and returns its PSCredential.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? SqlCredential { get; set; }

        /// <summary>Log in with an IAM auth token for -DbUser instead of a password.</summary>
        [Parameter]
        public SwitchParameter IamAuthentication { get; set; }

        /// <summary>The database user for -IamAuthentication (one allowed to ALTER USER).</summary>
        [Parameter]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string? DbUser { get; set; }

        /// <summary>Log in to each cluster as its master user with the login RDS manages for it in Secrets Manager (MasterUserSecret).</summary>
        [Parameter]
        public SwitchParameter UseManagedMasterSecret { get; set; }

        /// <summary>The CA bundle to verify the servers against when logging in (the RDS global bundle).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly the SQL connection verifies TLS; VerifyFull unless lowered here.</summary>
        [Parameter]
        public SqlSslMode SslMode { get => (SqlSslMode)sslMode; set => sslMode = (int)value; }

        // A number, not the engine's enum: a field of an engine type would load the engine when PowerShell lists this
        // assembly's types at import, before the module's resolver for it is in place (see ModuleInitializer).
        private int sslMode = (int)SqlSslMode.VerifyFull;

        private ClusterLogin _login = new ClusterLogin(null, false, null, false, null, SqlSslMode.VerifyFull);

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _login = CheckLogin(new ClusterLogin(SqlCredential, IamAuthentication.IsPresent, DbUser, UseManagedMasterSecret.IsPresent, ResolveFilePath(SslCa), SslMode), "Accounts are changed over a connection");

            if (Baseline == null) return;
            var path = ResolveFilePath(Baseline)!;
            try
            {
                _baseline = BaselineFile.Load(path);
            }
            catch (AuroraSecurityException e)
            {
                ThrowFailure(e, path);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var finding in Finding ?? new Finding[0])
            {
                if (finding == null) continue;
                if (!FindingRepairPlanner.WantsRepair(finding))
                {
                    WriteVerbose($"{finding.ClusterIdentifier} {finding.CheckId}: status {finding.Status}, nothing to repair.");
                    continue;
                }

                _findings.Add(finding);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // Every finding is in before anything is planned: clusters that share a group get one change.
            foreach (var byRegion in _findings.GroupBy(RegionOf, StringComparer.Ordinal))
            {
                // With -RoleArn (or a role profile) the account is known: a finding of another account is an error for it, never a change here.
                var findings = FindingRepairPlanner.InAccount(byRegion, ResolveAwsContext(byRegion.Key).AccountId, RequestedRoles.FirstOrDefault(), (f, e) => WriteFailure(e, f));
                if (findings.Count > 0) RepairRegion(byRegion.Key, findings);
            }
        }

        private string RegionOf(Finding finding)
        {
            if (!string.IsNullOrWhiteSpace(finding.Region)) return finding.Region.Trim();
            if (!string.IsNullOrEmpty(finding.DBClusterArn) && ClusterArn.LooksLikeArn(finding.DBClusterArn!))
            {
                try
                {
                    return ClusterArn.Parse(finding.DBClusterArn!).Region;
                }
                catch (AuroraSecurityException)
                {
                    // Fall through to the region resolved as usual.
                }
            }

            return ResolveAwsContext().Region;
        }

        private void RepairRegion(string region, IReadOnlyList<Finding> findings)
        {
            var context = ResolveAwsContext(region);
            var changer = new ClusterSecurityChanger(GetRdsApi(region), context.Region);
            var baseline = _baseline;
            var planner = new FindingRepairPlanner(changer, new FindingRepairOptions
            {
                CreateCustomGroup = CreateCustomGroup.IsPresent,
                CanLogIn = _login.Requested,
                AllowedCiphers = baseline == null ? null : new Func<AuroraCluster, IReadOnlyList<string>?>(c => baseline.SettingsFor(c).AllowedCiphers),
            });

            RepairPlan plan;
            try
            {
                plan = Await(ct => planner.PlanAsync(findings, ct));
            }
            catch (AuroraSecurityException e)
            {
                foreach (var f in findings) WriteFailure(e, f);
                return;
            }

            foreach (var refusal in plan.Refused)
            {
                WriteFailure(new AuroraSecurityException(refusal.Error.ErrorId, refusal.Error.Kind,
                    $"{Describe(refusal.Findings)}: not repaired. {refusal.Error.Message}", refusal.Error), refusal.Findings.FirstOrDefault());
            }

            var reaudit = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            var whatIf = false;
            foreach (var step in plan.Steps)
            {
                var outcome = Execute(changer, step);
                if (outcome == null) continue;
                if (outcome == ChangeOutcome.WhatIf)
                {
                    whatIf = true;
                    continue;
                }

                foreach (var f in step.Findings) Remember(reaudit, order, f.ClusterIdentifier, f.CheckId);
                if (step.Plan.Modifications.Any(m => m.ApplyMethod == Rds.RdsParameter.ApplyPendingReboot) || step.Plan.CreatesParameterGroup)
                {
                    // A static value or a new group waits for reboots: say so with the check that watches for it.
                    foreach (var f in step.Findings) Remember(reaudit, order, f.ClusterIdentifier, SecurityCheckCatalog.NoPendingReboot);
                }
            }

            // Logins are made here, on the pipeline thread (-SqlCredential's script block runs here), and the re-audit logs in the same way.
            using var secrets = _login.UsesManagedMasterSecret ? SecretsManagerClient.For(context) : null;
            var logins = new Dictionary<string, SqlAccess>(StringComparer.OrdinalIgnoreCase);
            foreach (var account in plan.Accounts)
            {
                var access = _login.For(account.Cluster, context);
                logins[account.Cluster.ClusterIdentifier] = access;
                var outcome = RepairAccounts(account, access, secrets);
                if (outcome == ChangeOutcome.WhatIf) whatIf = true;
                else if (outcome != null) Remember(reaudit, order, account.Cluster.ClusterIdentifier, account.Finding.CheckId);
            }

            foreach (var skipped in plan.Skipped) WriteObject(skipped);

            if (order.Count == 0)
            {
                if (whatIf) WriteVerbose("-WhatIf: nothing was sent, so nothing is audited again.");
                return;
            }

            var runner = new SecurityAuditRunner(GetRdsApi(region), changer.Region, settingsFor: baseline == null ? null : new Func<AuroraCluster, AuditSettings>(baseline.SettingsFor));
            var pairs = order.Select(c => new KeyValuePair<string, IReadOnlyCollection<string>>(c, reaudit[c])).ToList();
            IReadOnlyList<ClusterOutcome<IReadOnlyList<Finding>>> after;
            try
            {
                var options = new AuditOptions();
                if (_login.Requested)
                {
                    options.Sql = cluster => logins.TryGetValue(cluster.ClusterIdentifier, out var access) ? access : SqlAccess.Skip("no account of the cluster was repaired, so it was not logged in to.");
                    options.ManagedMasterSecrets = secrets;
                }

                after = Await(ct => RepairReaudit.RunAsync(runner, pairs, options, ct));
            }
            catch (AuroraSecurityException e)
            {
                WriteFailure(new AuroraSecurityException(e.ErrorId, e.Kind, $"The repairs were sent; auditing them again failed: {e.Message} Run Invoke-AuroraSecurityAudit to see where they stand.", e), null);
                return;
            }

            foreach (var outcome in after)
            {
                if (!outcome.Succeeded)
                {
                    WriteFailure(outcome.Error!, outcome.Identifier);
                    continue;
                }

                foreach (var finding in outcome.Value!) WriteObject(baseline == null ? finding : baseline.Apply(finding, DateTime.UtcNow));
            }
        }

        /// <summary>REQUIRE SSL for each login account of the cluster that lacks it, each confirmed; null when nothing could be done.</summary>
        private ChangeOutcome? RepairAccounts(AccountRepair repair, SqlAccess access, ISecretsManagerApi? secrets)
        {
            var cluster = repair.Cluster;
            var about = $"{repair.Finding.CheckId} on {cluster.ClusterIdentifier}";
            if (access.NotRequested != null)
            {
                WriteObject(new SkippedFinding(repair.Finding, $"Accounts are changed over SQL, and there is no login for this cluster: {access.NotRequested}", "Give -SqlCredential a credential for the cluster, or repair the accounts by hand."));
                return null;
            }

            ManagedMasterCredential? master = null;
            try
            {
                if (access.Error != null) throw access.Error;
                var options = access.Options!;
                if (access.UsesManagedMasterSecret)
                {
                    master = Await(ct => ManagedMasterSecret.ReadAsync(secrets!, cluster.ClusterIdentifier, cluster.MasterUserSecretArn, cluster.MasterUserSecretStatus, ct));
                    options = options.WithLogin(master.UserName, master.Password);
                }

                using (var session = Await(ct => AuroraConnectionFactory.OpenAsync(options, ct)))
                {
                    var service = new AccountService(session);
                    var accounts = AccountTlsRepair.AccountsWithoutTls(service.ReadUsers(CancellationToken), cluster.MasterUsername);
                    if (accounts.Count == 0) WriteVerbose($"{about}: every login account on {session.Endpoint} already requires TLS.");
                    var whatIf = false;
                    foreach (var account in accounts)
                    {
                        var plan = service.PlanSslType(account.User, account.Host, SslType.Any);
                        if (!plan.NeedsChange) continue;
                        var confirmed = ConfirmUnlessForced(Force, $"{plan.Account} on cluster '{cluster.ClusterIdentifier}'", $"{plan.Action} (repairs {about})", repair.Finding);
                        if (confirmed != ConfirmOutcome.Proceed)
                        {
                            whatIf |= confirmed == ConfirmOutcome.WhatIf;
                            continue;
                        }

                        WriteObject(service.Apply(plan));
                    }

                    return whatIf ? ChangeOutcome.WhatIf : ChangeOutcome.Applied;
                }
            }
            catch (AuroraSecurityException e)
            {
                WriteFailure(new AuroraSecurityException(e.ErrorId, e.Kind, $"{about}: {e.Message}", e), repair.Finding);
                return null;
            }
            finally
            {
                // The password leaves memory with the connection that used it.
                master?.Dispose();
            }
        }

        private static void Remember(Dictionary<string, HashSet<string>> checks, List<string> order, string cluster, string checkId)
        {
            if (!checks.TryGetValue(cluster, out var set))
            {
                set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                checks[cluster] = set;
                order.Add(cluster);
            }

            set.Add(checkId);
        }

        /// <inheritdoc />
        protected override bool WritesEachClusterOnce => false;

        /// <summary>Confirms, applies and reports one step as the change cmdlets do; returns what happened, or null when it was declined or failed.</summary>
        private ChangeOutcome? Execute(ClusterSecurityChanger changer, RepairStep step) =>
            ExecuteChange(changer, step.Plan, step.Findings.FirstOrDefault(), new ChangeWording
            {
                Why = $"repairs {Describe(step.Findings)}",
                Caption = "Repair Aurora MySQL security findings",
                BeyondCaption = "The change reaches beyond the findings piped in",
                About = Describe(step.Findings),
            });

        private static string Describe(IReadOnlyList<Finding> findings) =>
            string.Join(", ", findings.Select(f => $"{f.CheckId} on {f.ClusterIdentifier}"));
    }
}
