using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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

        /// <summary>RDS requests, SQL connections and probe handshakes in flight at once, all together.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = AuroraClusterService.DefaultThrottleLimit;

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
        public SqlSslMode SslMode { get; set; } = SqlSslMode.VerifyFull;

        /// <summary>Probe the cluster and instance endpoints with TLS handshakes for the wire checks.</summary>
        [Parameter]
        public SwitchParameter ProbeEndpoint { get; set; }

        /// <summary>A baseline file (.psd1 or .json): check settings, checks switched off, scopes and suppressions.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Baseline { get; set; }

        private AuditBaseline? _baseline;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRoles => true;

        /// <inheritdoc />
        protected override bool AcceptsSeveralRegions => true;

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

            if (IamAuthentication.IsPresent && SqlCredential != null)
            {
                ThrowFailure(new ArgumentException("Pass either -SqlCredential or -IamAuthentication -DbUser, not both."), null);
            }

            if (UseManagedMasterSecret.IsPresent && (SqlCredential != null || IamAuthentication.IsPresent))
            {
                ThrowFailure(new ArgumentException($"Pass one way to log in: -UseManagedMasterSecret reads each cluster's master login from Secrets Manager, so leave out {(SqlCredential != null ? "-SqlCredential" : "-IamAuthentication")}."), null);
            }

            if (IamAuthentication.IsPresent && string.IsNullOrEmpty(DbUser))
            {
                ThrowFailure(new ArgumentException("-IamAuthentication needs -DbUser: the database user created with AWSAuthenticationPlugin."), null);
            }

            if (!IamAuthentication.IsPresent && DbUser != null)
            {
                ThrowFailure(new ArgumentException(UseManagedMasterSecret.IsPresent
                    ? "-DbUser is for -IamAuthentication; -UseManagedMasterSecret logs in as the user its secret names (the master user)."
                    : "-DbUser is for -IamAuthentication; with a password, pass -SqlCredential instead."), null);
            }

            if (SqlCredential != null && !(Unwrap(SqlCredential) is PSCredential || Unwrap(SqlCredential) is ScriptBlock || Unwrap(SqlCredential) is IDictionary))
            {
                ThrowFailure(new ArgumentException($"-SqlCredential takes a PSCredential (Get-Credential), a hashtable of cluster identifier to PSCredential, or a script block that returns the PSCredential for the cluster in $_; not a {Unwrap(SqlCredential)!.GetType().Name}."), SqlCredential);
            }

            if ((SqlCredential != null || IamAuthentication.IsPresent || UseManagedMasterSecret.IsPresent) && SslMode < SqlSslMode.VerifyFull)
            {
                WriteWarning($"SQL evidence is read with -SslMode {SslMode}, which does not verify {(SslMode == SqlSslMode.VerifyCA ? "the host name" : "the server's certificate")}: a server in the middle could answer for the cluster.");
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (RequestedClusters.Count == 0 && !ListAll) return;
            var checks = SecurityCheckCatalog.Select(CheckId);
            _retentionGiven = MyInvocation.BoundParameters.ContainsKey(nameof(MinimumBackupRetentionDays));
            var failedRoles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var target in PlanRegionTargets())
            {
                // With -RoleArn each account is audited with its assumed role; a role that cannot be assumed is one error for that account.
                if (target.RoleArn != null && failedRoles.Contains(target.RoleArn)) continue;
                var context = ContextFor(target.Region, target.RoleArn);
                var ec2 = checks.Any(c => c.Evidence == CheckEvidence.SecurityGroups) ? Ec2ApiFactoryOverride?.Invoke(context) ?? Ec2SecurityGroupClient.For(context) : null;
                try
                {
                    if (!AuditRegion(target, context, ec2, checks))
                    {
                        failedRoles.Add(target.RoleArn!);
                    }
                }
                finally
                {
                    (ec2 as IDisposable)?.Dispose();
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

        // Audits one account (the context's credentials) in one region; false when the target's role could not be assumed (written as one error for that account).
        private bool AuditRegion(RegionTarget target, AwsContext context, IEc2Api? ec2, IReadOnlyList<SecurityCheck> checks)
        {
            var runner = new SecurityAuditRunner(GetRdsApi(context), context.Region, null, ec2, settingsFor: SettingsFor);
            IReadOnlyList<ClusterOutcome<AuroraCluster>> clusters;
            try
            {
                WriteProgress(new ProgressRecord(1, Activity, $"Finding the clusters in {context.Region}{(target.RoleArn == null ? string.Empty : " as " + target.RoleArn)} (RDS)"));
                clusters = Await(ct => runner.FindClustersAsync(target.Names, ThrottleLimit, ct));
            }
            catch (System.Exception e) when (target.RoleArn != null && IsFailure(e))
            {
                WriteFailure(e, target.RoleArn);
                return false;
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                return true;
            }

            WarnIfRegionEmpty(clusters.Count, target.Region);
            foreach (var outcome in clusters.Where(c => !c.Succeeded)) WriteFailure(outcome.Error!, outcome.Identifier);
            var found = clusters.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
            var options = new AuditOptions { ThrottleLimit = ThrottleLimit, ProbeEndpoints = ProbeEndpoint.IsPresent, WholeRegion = target.Names == null || target.Names.Count == 0 };
            WriteVerboseLine($"{found.Count} cluster(s) to audit in {context.Region} with {checks.Count} check(s).");
            foreach (var line in AuditReads.Describe(checks)) WriteVerboseLine(line);
            SecretsManagerClient? secrets = null;
            if (SqlCredential != null || IamAuthentication.IsPresent || UseManagedMasterSecret.IsPresent)
            {
                // Script blocks run here, on the pipeline thread; the audit's workers only look the answers up.
                var logins = found.ToDictionary(c => c.ClusterIdentifier, c => SqlAccessFor(c, context), StringComparer.OrdinalIgnoreCase);
                options.Sql = cluster => logins[cluster.ClusterIdentifier];
            }

            if (UseManagedMasterSecret.IsPresent)
            {
                secrets = SecretsManagerClient.For(context);
                options.ManagedMasterSecrets = secrets;
                WriteVerboseLine("SQL logins: each cluster's master login from its RDS-managed secret (secretsmanager:GetSecretValue" +
                    (context.SecretsManagerEndpoint == null ? ", the regional endpoint of the secret's region" : " at " + context.SecretsManagerEndpoint.GetLeftPart(UriPartial.Authority)) + "), read just before its connection.");
            }

            try
            {
                Stream(runner, found, checks, options);
            }
            finally
            {
                secrets?.Dispose();
            }

            return true;
        }

        private void Stream(SecurityAuditRunner runner, IReadOnlyList<AuroraCluster> found, IReadOnlyList<SecurityCheck> checks, AuditOptions options)
        {
            // Not disposed: a worker still finishing after a stop may add to it, and must not fail for that.
            var queue = new BlockingCollection<AuditProgress>();
            {
                var work = Task.Run(async () =>
                {
                    try
                    {
                        await runner.AuditAsync(found, checks, options, queue.Add, CancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        queue.CompleteAdding();
                    }
                });

                var done = 0;
                var lastProgress = DateTime.MinValue;
                try
                {
                    foreach (var step in queue.GetConsumingEnumerable(CancellationToken))
                    {
                        WriteVerboseLine(step.Phase == AuditPhase.Done
                            ? $"{step.ClusterIdentifier}: audited ({step.Outcome?.Value?.Count ?? 0} findings)."
                            : $"{step.ClusterIdentifier}: {Describe(step.Phase)}.");
                        if (step.Phase == AuditPhase.Done)
                        {
                            done++;
                            foreach (var finding in step.Outcome!.Value!) WriteObject(_baseline == null ? finding : _baseline.Apply(finding, DateTime.UtcNow));
                        }

                        if (step.Phase == AuditPhase.Done || DateTime.UtcNow - lastProgress >= ProgressInterval)
                        {
                            lastProgress = DateTime.UtcNow;
                            // A new record each time: hosts keep the records they are given, so one reused record would rewrite the history.
                            var progress = new ProgressRecord(1, Activity, $"{done} of {found.Count} clusters audited")
                            {
                                CurrentOperation = $"{step.ClusterIdentifier}: {Describe(step.Phase)}",
                                PercentComplete = found.Count == 0 ? 100 : done * 100 / found.Count,
                            };
                            WriteProgress(progress);
                        }
                    }
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    // Every read honours the token, so the workers end within the grace period; none is left running behind the prompt.
                    try
                    {
                        work.Wait(StopGrace);
                    }
                    catch (AggregateException)
                    {
                    }

                    throw new PipelineStoppedException();
                }

                WriteProgress(new ProgressRecord(1, Activity, $"{done} of {found.Count} clusters audited") { RecordType = ProgressRecordType.Completed });
                try
                {
                    Await(work);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, null);
                }
            }
        }

        private SqlAccess SqlAccessFor(AuroraCluster cluster, AwsContext context)
        {
            if (string.IsNullOrEmpty(cluster.Endpoint))
            {
                return SqlAccess.NoEndpoint(cluster);
            }

            var options = new SqlConnectionOptions
            {
                Endpoint = cluster.Endpoint!,
                Port = cluster.Port ?? 3306,
                SslMode = SslMode,
                SslCa = ResolveFilePath(SslCa),
            };
            if (IamAuthentication.IsPresent)
            {
                return SqlAccess.With(IamDatabaseAuthentication.Apply(options, context.Credentials, context.Region, DbUser!));
            }

            if (UseManagedMasterSecret.IsPresent)
            {
                return SqlAccess.WithManagedMasterSecret(options);
            }

            PSCredential? credential;
            try
            {
                credential = CredentialFor(cluster, out var skip);
                if (credential == null) return SqlAccess.Skip(skip!);
            }
            catch (AuroraSecurityException e)
            {
                return SqlAccess.Failed(e);
            }

            options.User = credential.UserName;
            options.Password = credential.Password;
            return SqlAccess.With(options);
        }

        private PSCredential? CredentialFor(AuroraCluster cluster, out string? skip)
        {
            skip = null;
            var given = Unwrap(SqlCredential);
            object? value = given;
            if (given is IDictionary table)
            {
                value = Lookup(table, cluster.ClusterIdentifier) ?? Lookup(table, "*");
                if (value == null)
                {
                    skip = $"needs -SqlCredential: the hashtable given has no entry for '{cluster.ClusterIdentifier}' (nor '*').";
                    return null;
                }
            }
            else if (given is ScriptBlock script)
            {
                try
                {
                    var results = script.InvokeWithContext(null, new List<PSVariable> { new PSVariable("_", cluster) }, cluster);
                    value = results.Select(Unwrap).FirstOrDefault(r => r != null);
                }
                catch (Exception e) when (!(e is PipelineStoppedException))
                {
                    throw new AuroraSecurityException("SqlCredentialScriptFailed", FailureKind.InvalidArgument,
                        $"The -SqlCredential script block failed for cluster '{cluster.ClusterIdentifier}': {(e is RuntimeException r ? r.ErrorRecord.ToString() : e.Message)}");
                }

                if (value == null)
                {
                    skip = $"needs -SqlCredential: the script block returned no credential for '{cluster.ClusterIdentifier}'.";
                    return null;
                }
            }

            value = Unwrap(value);
            if (value is PSCredential credential) return credential;
            throw new AuroraSecurityException("SqlCredentialInvalid", FailureKind.InvalidArgument,
                $"-SqlCredential gave a {value!.GetType().Name} for cluster '{cluster.ClusterIdentifier}', not a PSCredential: return Get-Credential's result, or Get-Secret's when the secret is a PSCredential.");
        }

        private static object? Lookup(IDictionary table, string key)
        {
            foreach (DictionaryEntry entry in table)
            {
                if (string.Equals(Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture), key, StringComparison.OrdinalIgnoreCase)) return Unwrap(entry.Value);
            }

            return null;
        }

        private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        private static string Describe(AuditPhase phase)
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
