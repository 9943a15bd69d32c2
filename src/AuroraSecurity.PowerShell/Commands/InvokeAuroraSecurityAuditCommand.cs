using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Ec2;
using AuroraSecurity.Rds;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Audits the security of Aurora MySQL clusters: one finding per check per cluster, written as each cluster completes. Reads only.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AuroraSecurityAudit")]
    [OutputType(typeof(Finding))]
    public sealed class InvokeAuroraSecurityAuditCommand : ClusterCmdletBase
    {
        private static readonly TimeSpan StopGrace = TimeSpan.FromMilliseconds(800);
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
        private const string Activity = "Invoke-AuroraSecurityAudit";

        /// <summary>Only these checks (ids from Get-AuroraSecurityCheck); every check when omitted.</summary>
        [Parameter]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CheckIdCompleter))]
        public string[]? CheckId { get; set; }

        /// <summary>Fewest days of automated backups the backup retention check accepts.</summary>
        [Parameter]
        [ValidateRange(1, 35)]
        public int MinimumBackupRetentionDays { get; set; } = AuditSettings.Default.MinimumBackupRetentionDays;

        /// <summary>Replaces EC2 client creation (tests only).</summary>
        internal static Func<AwsContext, IEc2Api>? Ec2ApiFactoryOverride { get; set; }

        /// <summary>
        /// The database login for the SQL checks: a PSCredential for every cluster, a hashtable of cluster identifier (or '*') to PSCredential,
        /// or a script block that gets the cluster as $_ and returns its PSCredential.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? SqlCredential { get; set; }

        /// <summary>Log in with an IAM auth token for -DbUser instead of a password.</summary>
        [Parameter]
        public SwitchParameter IamAuthentication { get; set; }

        /// <summary>The database user for -IamAuthentication.</summary>
        [Parameter]
        [Alias("UserName")]
        [ValidateNotNullOrEmpty]
        public string? DbUser { get; set; }

        /// <summary>
        /// Log in to each cluster as its master user with the login RDS manages for it in Secrets Manager (MasterUserSecret), read with
        /// secretsmanager:GetSecretValue just before the cluster's connection; the script never holds a password.
        /// </summary>
        [Parameter]
        public SwitchParameter UseManagedMasterSecret { get; set; }

        /// <summary>The CA bundle to verify the servers against (the RDS global bundle).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SslCa { get; set; }

        /// <summary>How strictly the SQL connections verify TLS; VerifyFull unless lowered here.</summary>
        [Parameter]
        public SqlSslMode SslMode { get => (SqlSslMode)sslMode; set => sslMode = (int)value; }

        // A number, not the engine's enum: a field of an engine type would load the engine when PowerShell lists this
        // assembly's types at import, before the module's resolver for it is in place (see ModuleInitializer).
        private int sslMode = (int)SqlSslMode.VerifyFull;

        /// <summary>Probe the cluster and instance endpoints with TLS handshakes for the wire checks.</summary>
        [Parameter]
        public SwitchParameter ProbeEndpoint { get; set; }

        /// <summary>A baseline file (.psd1 or .json): check settings, checks switched off, scopes and suppressions.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Baseline { get; set; }

        private AuditBaseline? _baseline;
        private ClusterLogin? _login;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            try
            {
                SecurityCheckCatalog.Select(CheckId);
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, CheckId);
            }

            // A malformed baseline stops the audit before any request.
            if (Baseline != null)
            {
                var path = ResolveFilePath(Baseline)!;
                try
                {
                    _baseline = BaselineFile.Load(path);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, path);
                }
            }

            _login = CheckLogin(new ClusterLogin(SqlCredential, IamAuthentication.IsPresent, DbUser, UseManagedMasterSecret.IsPresent, ResolveFilePath(SslCa), SslMode), "SQL evidence is read");
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var checks = SecurityCheckCatalog.Select(CheckId);
            _retentionGiven = MyInvocation.BoundParameters.ContainsKey(nameof(MinimumBackupRetentionDays));
            var needEc2 = checks.Any(c => c.Evidence == CheckEvidence.SecurityGroups);
            var targets = new List<AuditTarget>();
            try
            {
                // Contexts and clients are made here, on the pipeline thread; with -RoleArn each account is audited with its assumed role.
                foreach (var planned in PlanRegionTargets())
                {
                    var context = ContextFor(planned.Region, planned.RoleArn);
                    var ec2 = needEc2 ? Ec2ApiFactoryOverride?.Invoke(context) ?? Ec2SecurityGroupClient.For(context) : null;
                    var runner = new SecurityAuditRunner(GetRdsApi(context), context.Region, null, ec2, settingsFor: SettingsFor);
                    var secrets = UseManagedMasterSecret.IsPresent ? SecretsManagerClient.For(context) : null;
                    targets.Add(new AuditTarget(runner, planned.Names, new TargetState(planned, context, ec2, secrets)));
                }

                if (targets.Count == 0) return;
                if (UseManagedMasterSecret.IsPresent)
                {
                    var endpoint = ((TargetState)targets[0].State!).Context.SecretsManagerEndpoint;
                    WriteVerboseLine("SQL logins: each cluster's master login from its RDS-managed secret (secretsmanager:GetSecretValue" +
                        (endpoint == null ? ", the regional endpoint of the secret's region" : " at " + endpoint.GetLeftPart(UriPartial.Authority)) + "), read just before its connection.");
                }

                if (targets.Count > 1) WriteVerboseLine($"Auditing {Describe(targets)} with {checks.Count} check(s), at most {ThrottleLimit} request(s) in flight in all.");
                foreach (var line in AuditReads.Describe(checks)) WriteVerboseLine(line);
                new AuditStream(this, targets, checks).Run();
            }
            finally
            {
                foreach (var target in targets)
                {
                    var state = (TargetState)target.State!;
                    (state.Ec2 as IDisposable)?.Dispose();
                    state.Secrets?.Dispose();
                }
            }
        }

        private bool _retentionGiven;

        // The baseline's settings for each cluster (called from the audit's workers); -MinimumBackupRetentionDays, when given, wins over the baseline's value.
        private AuditSettings SettingsFor(AuroraCluster cluster)
        {
            var settings = _baseline?.SettingsFor(cluster) ?? AuditSettings.Default;
            if (!_retentionGiven) return settings;
            var copy = settings.Copy();
            copy.MinimumBackupRetentionDays = MinimumBackupRetentionDays;
            return copy;
        }

        private static string Describe(IReadOnlyList<AuditTarget> targets)
        {
            var accounts = targets.Select(t => ((TargetState)t.State!).Planned.RoleArn ?? string.Empty).Distinct(StringComparer.Ordinal).Count();
            var regions = targets.Select(t => ((TargetState)t.State!).Context.Region).Distinct(StringComparer.Ordinal).Count();
            return $"{targets.Count} account and region pairs ({accounts} account(s) x {regions} region(s)) at once";
        }

        /// <summary>What the cmdlet keeps with each account and region it audits.</summary>
        private sealed class TargetState
        {
            public TargetState(RegionTarget planned, AwsContext context, IEc2Api? ec2, SecretsManagerClient? secrets)
            {
                Planned = planned;
                Context = context;
                Ec2 = ec2;
                Secrets = secrets;
            }

            /// <summary>Reads the clusters' managed master secrets (-UseManagedMasterSecret) with this target's credentials; null otherwise.</summary>
            public SecretsManagerClient? Secrets { get; }

            public RegionTarget Planned { get; }

            public AwsContext Context { get; }

            public IEc2Api? Ec2 { get; }

            public string Describe() => Context.Region + (Planned.RoleArn == null ? string.Empty : " as " + Planned.RoleArn);
        }

        /// <summary>
        /// One audit over every account and region: the scheduler's workers post what happens, and this loop on the pipeline thread
        /// writes it (findings as each cluster completes, errors, one progress display over all pairs) and runs what must run here
        /// (the -SqlCredential script blocks). Ctrl+C stops the workers and returns promptly.
        /// </summary>
        private sealed class AuditStream
        {
            private readonly InvokeAuroraSecurityAuditCommand _cmdlet;
            private readonly IReadOnlyList<AuditTarget> _targets;
            private readonly IReadOnlyList<SecurityCheck> _checks;
            // Not disposed: a worker still finishing after a stop may add to it, and must not fail for that.
            private readonly BlockingCollection<Action> _posted = new BlockingCollection<Action>();
            private readonly HashSet<string> _failedRoles = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _foundSomewhere = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            private readonly List<ClusterOutcome<AuroraCluster>> _notFound = new List<ClusterOutcome<AuroraCluster>>();
            private int _listed;
            private int _total;
            private int _done;
            private DateTime _lastProgress = DateTime.MinValue;

            public AuditStream(InvokeAuroraSecurityAuditCommand cmdlet, IReadOnlyList<AuditTarget> targets, IReadOnlyList<SecurityCheck> checks)
            {
                _cmdlet = cmdlet;
                _targets = targets;
                _checks = checks;
            }

            private bool Several => _targets.Count > 1;

            public void Run()
            {
                var cmdlet = _cmdlet;
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cmdlet.CancellationToken))
                {
                    var work = Task.Run(async () =>
                    {
                        try
                        {
                            await AuditScheduler.RunAsync(_targets, _checks, cmdlet.ThrottleLimit, (t, c) => Prepare(t, c, stop.Token),
                                (t, p) => _posted.Add(() => OnProgress(t, p)), (t, e) => _posted.Add(() => OnFailed(t, e)), stop.Token).ConfigureAwait(false);
                        }
                        finally
                        {
                            _posted.CompleteAdding();
                        }
                    });

                    var finished = false;
                    try
                    {
                        cmdlet.WriteProgress(Progress("Finding the clusters" + (Several ? $" in {_targets.Count} account and region pairs" : " in " + ((TargetState)_targets[0].State!).Describe()) + " (RDS)"));
                        foreach (var action in _posted.GetConsumingEnumerable(cmdlet.CancellationToken)) action();
                        finished = true;
                    }
                    catch (OperationCanceledException) when (cmdlet.CancellationToken.IsCancellationRequested)
                    {
                        throw new PipelineStoppedException();
                    }
                    finally
                    {
                        if (!finished)
                        {
                            // Ctrl+C, or a terminating error from here or downstream: every read honours the token, so the workers end within
                            // the grace period and none is left running behind the prompt.
                            stop.Cancel();
                            try
                            {
                                work.Wait(StopGrace);
                            }
                            catch (AggregateException)
                            {
                            }
                        }
                    }

                    foreach (var outcome in _notFound)
                    {
                        if (_foundSomewhere.Contains(outcome.Identifier)) continue;
                        _foundSomewhere.Add(outcome.Identifier);
                        cmdlet.WriteFailure(outcome.Error!, outcome.Identifier);
                    }

                    var done = Progress($"{_done} of {_total} clusters audited");
                    done.RecordType = ProgressRecordType.Completed;
                    cmdlet.WriteProgress(done);
                    try
                    {
                        cmdlet.Await(work);
                    }
                    catch (System.Exception e) when (IsFailure(e))
                    {
                        cmdlet.ThrowFailure(e, null);
                    }
                }
            }

            // Runs on the pipeline thread (posted by the worker that found the target's clusters): errors for clusters not found, the
            // -SqlCredential script blocks, and the options the target's clusters are audited with.
            private Task<AuditOptions?> Prepare(AuditTarget target, IReadOnlyList<ClusterOutcome<AuroraCluster>> clusters, CancellationToken cancellationToken)
            {
                var answer = new TaskCompletionSource<AuditOptions?>(TaskCreationOptions.RunContinuationsAsynchronously);
                cancellationToken.Register(() => answer.TrySetCanceled());
                _posted.Add(() =>
                {
                    try
                    {
                        answer.TrySetResult(OnClustersFound(target, clusters));
                    }
                    catch (System.Exception e)
                    {
                        answer.TrySetException(e);
                        throw;
                    }
                });
                return answer.Task;
            }

            private AuditOptions OnClustersFound(AuditTarget target, IReadOnlyList<ClusterOutcome<AuroraCluster>> clusters)
            {
                var cmdlet = _cmdlet;
                var state = (TargetState)target.State!;
                _listed++;
                cmdlet.WarnIfRegionEmpty(clusters.Count, state.Planned.Region);
                foreach (var outcome in clusters)
                {
                    if (outcome.Succeeded)
                    {
                        _foundSomewhere.Add(outcome.Identifier);
                        continue;
                    }

                    // A name looked up in several accounts or regions is "not found" only when none of them has it: said at the end.
                    if (Several && outcome.Error!.ErrorId == RdsErrorTranslator.ClusterNotFoundId) _notFound.Add(outcome);
                    else cmdlet.WriteFailure(outcome.Error!, outcome.Identifier);
                }

                var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
                _total += found.Count;
                cmdlet.WriteVerboseLine($"{found.Count} cluster(s) to audit in {state.Describe()} with {_checks.Count} check(s).");
                var options = new AuditOptions { ProbeEndpoints = cmdlet.ProbeEndpoint.IsPresent };
                var login = cmdlet._login!;
                if (login.Requested)
                {
                    // Script blocks run here, on the pipeline thread; the audit's workers only look the answers up.
                    var logins = found.ToDictionary(c => c.ClusterIdentifier, c => login.For(c, state.Context), StringComparer.OrdinalIgnoreCase);
                    options.Sql = cluster => logins[cluster.ClusterIdentifier];
                    options.ManagedMasterSecrets = state.Secrets;
                }

                ShowProgress(null, true);
                return options;
            }

            private void OnProgress(AuditTarget target, AuditProgress step)
            {
                var cmdlet = _cmdlet;
                var where = Several ? ((TargetState)target.State!).Describe() + ": " : string.Empty;
                cmdlet.WriteVerboseLine(step.Phase == AuditPhase.Done
                    ? $"{where}{step.ClusterIdentifier}: audited ({step.Outcome?.Value?.Count ?? 0} findings)."
                    : $"{where}{step.ClusterIdentifier}: {InvokeAuroraSecurityAuditCommand.Describe(step.Phase)}.");
                if (step.Phase == AuditPhase.Done)
                {
                    _done++;
                    var baseline = cmdlet._baseline;
                    foreach (var finding in step.Outcome!.Value!) cmdlet.WriteObject(baseline == null ? finding : baseline.Apply(finding, DateTime.UtcNow));
                }

                ShowProgress($"{where}{step.ClusterIdentifier}: {InvokeAuroraSecurityAuditCommand.Describe(step.Phase)}", step.Phase == AuditPhase.Done);
            }

            // One account that cannot be assumed is one error record, whatever the number of its regions; any other failure of a whole
            // target is an error for that account and region, except for the only target of a run without -RoleArn, which stops the audit.
            private void OnFailed(AuditTarget target, Exception error)
            {
                var cmdlet = _cmdlet;
                var state = (TargetState)target.State!;
                var role = state.Planned.RoleArn;
                if (role != null && error is AuroraSecurityException aurora && aurora.ErrorId == AssumedRoleCredentialSource.RoleNotAssumedId)
                {
                    if (_failedRoles.Add(role)) cmdlet.WriteFailure(error, role);
                    return;
                }

                if (!Several && role == null)
                {
                    cmdlet.ThrowFailure(error, null);
                    return;
                }

                cmdlet.WriteFailure(error, role ?? state.Describe());
            }

            private void ShowProgress(string? operation, bool now)
            {
                if (!now && DateTime.UtcNow - _lastProgress < ProgressInterval) return;
                // A pair's listing is shown without holding back the next cluster's step.
                if (operation != null) _lastProgress = DateTime.UtcNow;
                var text = $"{_done} of {_total} clusters audited";
                if (Several) text += _listed < _targets.Count ? $" ({_listed} of {_targets.Count} account and region pairs listed)" : $" in {_targets.Count} account and region pairs";
                var record = Progress(text);
                if (operation != null) record.CurrentOperation = operation;
                record.PercentComplete = _total == 0 ? 0 : Math.Min(100, _done * 100 / _total);
                // A new record each time: hosts keep the records they are given, so one reused record would rewrite the history.
                _cmdlet.WriteProgress(record);
            }

            private static ProgressRecord Progress(string status) => new ProgressRecord(1, Activity, status);
        }

        internal static string Describe(AuditPhase phase)
        {
            switch (phase)
            {
                case AuditPhase.RdsReads: return "reading the parameter group and instances (RDS)";
                case AuditPhase.Sql: return "reading accounts and settings (SQL)";
                case AuditPhase.Probe: return "probing the endpoints (TLS handshakes)";
                default: return "done";
            }
        }
    }
}
