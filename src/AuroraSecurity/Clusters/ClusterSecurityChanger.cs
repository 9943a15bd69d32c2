using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>
    /// Plans and applies the security changes to a cluster: TLS parameters in its cluster parameter group, attaching a
    /// custom group, and IAM database authentication. Every rule is enforced before a request leaves.
    /// </summary>
    public sealed class ClusterSecurityChanger
    {
        /// <summary>ModifyDBClusterParameterGroup takes at most this many parameters per call.</summary>
        public const int MaxParametersPerModify = 20;

        private readonly IRdsApi _rds;
        private readonly AuroraClusterService _clusters;
        private IReadOnlyList<AuroraCluster>? _allClusters;

        public ClusterSecurityChanger(IRdsApi rds, string region)
        {
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _clusters = new AuroraClusterService(rds, region);
        }

        public string Region => _clusters.Region;

        /// <summary>The cluster lookups this changer uses (for resolving names before planning).</summary>
        public AuroraClusterService ClusterService => _clusters;

        /// <summary>
        /// Checks a parameter change for one cluster and works out what to send. Refuses (AuroraSecurityException) a change the
        /// engine version does not allow and a default group unless <paramref name="createCustomGroup"/> is set; reads only.
        /// </summary>
        public Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, TlsParameterChange change, bool createCustomGroup, string? newParameterGroupName, CancellationToken cancellationToken) =>
            PlanForClusterAsync(cluster, new[] { change ?? throw new ArgumentNullException(nameof(change)) }, createCustomGroup, newParameterGroupName, cancellationToken);

        /// <summary>
        /// Checks several parameter changes for one cluster's group and plans them as one change: one ModifyDBClusterParameterGroup
        /// carries every value that differs (in batches of <see cref="MaxParametersPerModify"/>), and every cluster that shares the group
        /// must accept each value. With <paramref name="createCustomGroup"/> a cluster on a default group gets a custom group with the values;
        /// with no changes at all that is the whole plan (the cluster moves to a custom group of its own). Reads only.
        /// </summary>
        public async Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, IReadOnlyList<TlsParameterChange> changes, bool createCustomGroup, string? newParameterGroupName, CancellationToken cancellationToken)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            if (changes == null) throw new ArgumentNullException(nameof(changes));
            if (changes.Any(c => c == null)) throw new ArgumentException("A parameter change is missing.", nameof(changes));
            var twice = changes.GroupBy(c => c.ParameterName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (twice.Count > 0) throw new ArgumentException($"{string.Join(", ", twice)} is asked for more than once; give each parameter one value.", nameof(changes));
            if (changes.Count == 0 && !createCustomGroup) throw new ArgumentException("Name at least one parameter change, or ask for a custom group.", nameof(changes));
            foreach (var change in changes)
            {
                var refusal = change.RefusalFor(cluster);
                if (refusal != null) throw NotSupportedByEngine(refusal);
            }

            var group = cluster.ParameterGroupName;
            if (string.IsNullOrEmpty(group))
            {
                throw AuroraClusterService.ParameterGroupUnknown(cluster);
            }

            var subject = $"cluster '{cluster.ClusterIdentifier}' (parameter group '{group}')";
            var parameters = await Call(() => _rds.DescribeDBClusterParametersAsync(group!, null, cancellationToken), subject).ConfigureAwait(false);
            var metadata = changes.Select(c => FindModifiable(parameters, c, group!, cluster.ParameterGroupFamily)).ToList();
            var isDefault = AuroraTlsConfig.IsDefaultGroupName(group!);
            var allHold = changes.Count > 0 && changes.Select((c, i) => c.HoldsIn(metadata[i])).All(h => h);

            if (isDefault && allHold)
            {
                return PlanModify(cluster.ClusterIdentifier, group!, cluster.ParameterGroupFamily, new[] { cluster.ClusterIdentifier }, changes, metadata);
            }

            if (isDefault && !createCustomGroup)
            {
                var names = string.Join(" and ", changes.Select(c => c.ParameterName));
                throw DefaultGroupRefused(
                    $"Cluster '{cluster.ClusterIdentifier}' uses the default cluster parameter group '{group}', and RDS never modifies default parameter groups, so {names} cannot be changed there. " +
                    $"Run again with -CreateCustomGroup (optionally -NewParameterGroupName <name>) to create a custom group in family {cluster.ParameterGroupFamily ?? "of the cluster"}, copy the values set in '{group}', change it and attach it to the cluster; the instances use the new group after their next reboot.");
            }

            if (isDefault)
            {
                return await PlanCustomGroupAsync(cluster, changes, metadata, newParameterGroupName, subject, cancellationToken).ConfigureAwait(false);
            }

            if (changes.Count == 0)
            {
                // Already on a custom group: nothing to create.
                return PlanModify(cluster.ClusterIdentifier, group!, cluster.ParameterGroupFamily, new[] { cluster.ClusterIdentifier }, changes, metadata);
            }

            var sharing = await ClusterObjectsUsingAsync(group!, subject, cancellationToken).ConfigureAwait(false);
            var refusals = changes.SelectMany(c => sharing.Select(c.RefusalFor)).Where(r => r != null).Distinct().ToList();
            if (refusals.Count > 0)
            {
                throw NotSupportedByEngine(
                    $"Parameter group '{group}' of cluster '{cluster.ClusterIdentifier}' is shared with clusters that cannot take {string.Join(" and ", changes.Select(c => c.Summary))}: " + string.Join(" ", refusals));
            }

            var reached = sharing.Select(c => c.ClusterIdentifier).ToList();
            if (!reached.Contains(cluster.ClusterIdentifier, StringComparer.OrdinalIgnoreCase)) reached.Add(cluster.ClusterIdentifier);
            return PlanModify(cluster.ClusterIdentifier, group!, cluster.ParameterGroupFamily, reached, changes, metadata);
        }

        /// <summary>
        /// Checks a parameter change for a cluster parameter group named directly: it must be a custom cluster group (an instance group
        /// name is refused, it lacks these parameters), and every cluster that uses it must accept the value.
        /// </summary>
        public async Task<ClusterChangePlan> PlanForGroupAsync(string parameterGroupName, TlsParameterChange change, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(parameterGroupName)) throw new ArgumentException("A DB cluster parameter group name is needed.", nameof(parameterGroupName));
            if (change == null) throw new ArgumentNullException(nameof(change));
            var name = parameterGroupName.Trim();
            var subject = $"parameter group '{name}'";

            RdsClusterParameterGroup group;
            try
            {
                var groups = await _rds.DescribeDBClusterParameterGroupsAsync(name, cancellationToken).ConfigureAwait(false);
                group = groups.FirstOrDefault() ?? throw NotAClusterGroup(name);
            }
            catch (RdsApiException e) when (e.Code == "DBParameterGroupNotFound" || e.Code == "DBClusterParameterGroupNotFound")
            {
                throw NotAClusterGroup(name, e);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, subject, Region);
            }

            name = group.DBClusterParameterGroupName;
            if (AuroraTlsConfig.IsDefaultGroupName(name))
            {
                throw DefaultGroupRefused(
                    $"'{name}' is a default cluster parameter group, and RDS never modifies default parameter groups. " +
                    "Name a cluster instead (-ClusterIdentifier) with -CreateCustomGroup to give it a custom group with the change.");
            }

            var users = await ClusterObjectsUsingAsync(name, subject, cancellationToken).ConfigureAwait(false);
            var refusals = users.Select(change.RefusalFor).Where(r => r != null).ToList();
            if (refusals.Count > 0)
            {
                throw NotSupportedByEngine(
                    $"Parameter group '{name}' is used by clusters that cannot take {change.Summary}: " + string.Join(" ", refusals));
            }

            var parameters = await Call(() => _rds.DescribeDBClusterParametersAsync(name, null, cancellationToken), subject).ConfigureAwait(false);
            var metadata = FindModifiable(parameters, change, name, group.DBParameterGroupFamily);
            return PlanModify(null, name, group.DBParameterGroupFamily, users.Select(c => c.ClusterIdentifier).ToList(), new[] { change }, new[] { metadata });
        }

        /// <summary>Turning IAM database authentication on or off for a cluster (ModifyDBCluster, applied immediately).</summary>
        public ClusterChangePlan PlanIamAuthentication(AuroraCluster cluster, bool enable)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            var word = enable ? "Enable" : "Disable";
            return new ClusterChangePlan
            {
                ClusterIdentifier = cluster.ClusterIdentifier,
                Clusters = new[] { cluster.ClusterIdentifier },
                ParameterGroupName = cluster.ParameterGroupName,
                ParameterGroupFamily = cluster.ParameterGroupFamily,
                EnableIamDatabaseAuthentication = enable,
                IsUnchanged = cluster.IamDatabaseAuthenticationEnabled == enable,
                Target = $"cluster '{cluster.ClusterIdentifier}'",
                Action = $"{word} IAM database authentication (ModifyDBCluster, applied immediately)",
                Sent = $"ModifyDBCluster for cluster '{cluster.ClusterIdentifier}' with EnableIAMDatabaseAuthentication={(enable ? "true" : "false")}, ApplyImmediately=true",
                Note = enable
                    ? "Database accounts created WITH AWSAuthenticationPlugin can now log in with IAM auth tokens; password logins keep working."
                    : "IAM auth tokens are no longer accepted; accounts that log in only with IAM tokens cannot connect until it is enabled again.",
            };
        }

        /// <summary>How long the read-back after a change waits for RDS to show an accepted change before calling it contradicted.</summary>
        public TimeSpan ReadBackTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Pause between read-backs while RDS does not show an accepted change yet.</summary>
        public TimeSpan ReadBackInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Sends the plan's requests and returns what went out, in words. A failure part way names what was done and what was not.
        /// When an answer is lost (no answer, a timeout, an HTTP 5xx), the state is read back before anything is reported:
        /// a request that RDS applied counts as sent.
        /// </summary>
        public async Task<string> ApplyAsync(ClusterChangePlan plan, CancellationToken cancellationToken)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (plan.IsUnchanged) return "nothing";
            _allClusters = null;
            var subject = plan.ClusterIdentifier != null
                ? $"cluster '{plan.ClusterIdentifier}' (parameter group '{plan.ParameterGroupName}')"
                : $"parameter group '{plan.ParameterGroupName}' (clusters: {ListOrNone(plan.Clusters)})";

            if (plan.EnableIamDatabaseAuthentication is bool enable)
            {
                var lost = await SendWriteAsync(
                    () => _rds.ModifyDBClusterAsync(plan.ClusterIdentifier!, null, enable, true, cancellationToken),
                    async () =>
                    {
                        var read = await _rds.DescribeDBClustersAsync(plan.ClusterIdentifier, null, cancellationToken).ConfigureAwait(false);
                        var c = read.FirstOrDefault();
                        return c != null && (c.IAMDatabaseAuthenticationEnabled == enable || c.PendingModifiedValues?.IAMDatabaseAuthenticationEnabled == enable);
                    },
                    plan.Sent, $"cluster '{plan.ClusterIdentifier}'").ConfigureAwait(false);
                return plan.Sent + (lost ? LostAnswerNote : string.Empty);
            }

            if (!plan.CreatesParameterGroup)
            {
                var lost = await ModifyInBatchesAsync(plan.ParameterGroupName!, plan.Modifications, subject, cancellationToken).ConfigureAwait(false);
                return plan.Sent + (lost ? LostAnswerNote : string.Empty);
            }

            return await CreateAndAttachAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        private const string LostAnswerNote = " (RDS's answer was lost; reading the state back showed the request had been applied)";

        /// <summary>
        /// The TLS settings of every cluster the plan reaches, read again from RDS, marked with what happened. After a change
        /// (<see cref="ChangeOutcome.Applied"/> asked for), each cluster is Applied only when the read-back shows the value in effect,
        /// Pending when RDS accepted it but it waits (PendingModifiedValues, a static parameter, instances to reboot), and a failure
        /// naming what was sent when the read-back still contradicts the request after <see cref="ReadBackTimeout"/>.
        /// </summary>
        public async Task<IReadOnlyList<ClusterOutcome<AuroraTlsConfig>>> ReadBackAsync(ClusterChangePlan plan, ChangeOutcome outcome, CancellationToken cancellationToken, string? sent = null)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (plan.Clusters.Count == 0) return new List<ClusterOutcome<AuroraTlsConfig>>();
            sent = string.IsNullOrEmpty(sent) ? plan.Sent : sent;
            var deadline = DateTime.UtcNow + (outcome == ChangeOutcome.Applied ? ReadBackTimeout : TimeSpan.Zero);
            while (true)
            {
                var results = new List<ClusterOutcome<AuroraTlsConfig>>();
                var contradicted = new List<(string Cluster, string Shows)>();
                var cache = _clusters.CreateParameterGroupCache();
                if (outcome == ChangeOutcome.Applied && plan.ParameterChanges.Count > 0 && plan.ParameterGroupName != null)
                {
                    // The group's values first, the members' status after: a member read before the change became visible would show
                    // in-sync beside a static value it does not run yet, and the change would look Applied.
                    try
                    {
                        await cache.GetParametersAsync(plan.ParameterGroupName, cancellationToken).ConfigureAwait(false);
                    }
                    catch (RdsApiException)
                    {
                        // Read again, and reported, with the cluster below.
                        cache.Invalidate(plan.ParameterGroupName);
                    }
                    catch (AuroraSecurityException)
                    {
                        cache.Invalidate(plan.ParameterGroupName);
                    }
                }

                var found = await _clusters.GetClustersAsync(plan.Clusters, cancellationToken).ConfigureAwait(false);
                foreach (var cluster in found)
                {
                    if (!cluster.Succeeded)
                    {
                        results.Add(ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, outcome == ChangeOutcome.Applied ? AfterSent(sent!, cluster.Identifier, cluster.Error!) : cluster.Error!));
                        continue;
                    }

                    try
                    {
                        var config = await _clusters.GetTlsConfigAsync(cluster.Value!, cache, cancellationToken).ConfigureAwait(false);
                        config.Change = outcome;
                        if (outcome == ChangeOutcome.Unchanged)
                        {
                            config.ChangeNote = "Already in place; nothing was sent.";
                        }
                        else if (outcome == ChangeOutcome.WhatIf)
                        {
                            config.ChangeNote = $"-WhatIf: nothing was sent. Would change {plan.Target}: {plan.Action}.";
                        }
                        else
                        {
                            var parameters = plan.ParameterChanges.Count == 0 ? null : await cache.GetParametersAsync(config.ParameterGroupName, cancellationToken).ConfigureAwait(false);
                            var shows = Classify(plan, cluster.Value!, config, parameters, sent!);
                            if (shows != null) contradicted.Add((cluster.Identifier, shows));
                        }

                        results.Add(ClusterOutcome<AuroraTlsConfig>.Success(cluster.Identifier, config));
                    }
                    catch (RdsApiException e)
                    {
                        var translated = RdsErrorTranslator.Translate(e, $"cluster '{cluster.Identifier}'", Region);
                        results.Add(ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, outcome == ChangeOutcome.Applied ? AfterSent(sent!, cluster.Identifier, translated) : translated));
                    }
                    catch (AuroraSecurityException e)
                    {
                        results.Add(ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, outcome == ChangeOutcome.Applied ? AfterSent(sent!, cluster.Identifier, e) : e));
                    }
                }

                if (contradicted.Count == 0) return results;
                if (DateTime.UtcNow >= deadline)
                {
                    var seconds = Math.Round(ReadBackTimeout.TotalSeconds, 1);
                    return results.Select(r =>
                    {
                        var c = contradicted.FirstOrDefault(x => string.Equals(x.Cluster, r.Identifier, StringComparison.OrdinalIgnoreCase));
                        if (c.Cluster == null) return r;
                        return ClusterOutcome<AuroraTlsConfig>.Failure(r.Identifier, new AuroraSecurityException("ChangeNotConfirmed", FailureKind.ServiceError,
                            $"Sent: {sent}. RDS accepted the request, but {seconds} s later the read-back of cluster '{r.Identifier}' contradicts it: {c.Shows}. " +
                            $"Run Get-AuroraTlsConfig -ClusterIdentifier {r.Identifier} to look again; if it still differs, the change did not take and can be sent again."));
                    }).ToList();
                }

                await Task.Delay(ReadBackInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Marks the read-back of one cluster Applied or Pending; returns what it shows when it contradicts the request (null otherwise).</summary>
        private static string? Classify(ClusterChangePlan plan, AuroraCluster cluster, AuroraTlsConfig config, IReadOnlyList<RdsParameter>? parameters, string sent)
        {
            var members = cluster.Members;
            if (plan.EnableIamDatabaseAuthentication is bool enable)
            {
                var word = enable ? "true" : "false";
                if (cluster.IamDatabaseAuthenticationEnabled == enable)
                {
                    return Mark(config, ChangeOutcome.Applied, $"Sent: {sent}. Read back: IAMDatabaseAuthenticationEnabled {word}. {plan.Note}", null, new string[0]);
                }

                if (cluster.PendingIamDatabaseAuthenticationEnabled == enable)
                {
                    return Mark(config, ChangeOutcome.Pending,
                        $"Sent: {sent}. RDS accepted it but has not applied it yet: PendingModifiedValues holds IAMDatabaseAuthenticationEnabled={word}; IAMDatabaseAuthenticationEnabled still reads {Text(cluster.IamDatabaseAuthenticationEnabled)}. Nothing changes for logins until RDS applies it; run Get-AuroraCluster -ClusterIdentifier {cluster.ClusterIdentifier} to see when.",
                        $"IAMDatabaseAuthenticationEnabled={word} (PendingModifiedValues)", new string[0]);
                }

                if (cluster.IamDatabaseAuthenticationEnabled == null)
                {
                    return Mark(config, ChangeOutcome.Pending,
                        $"Sent: {sent}. RDS accepted it, but its answer has no IAMDatabaseAuthenticationEnabled and no pending value, so the change cannot be confirmed; run Get-AuroraCluster -ClusterIdentifier {cluster.ClusterIdentifier} to look again.",
                        "IAMDatabaseAuthenticationEnabled unconfirmed (RDS left the field out)", new string[0]);
                }

                return $"IAMDatabaseAuthenticationEnabled is {Text(cluster.IamDatabaseAuthenticationEnabled)} and nothing is pending";
            }

            if (!string.Equals(config.ParameterGroupName, plan.ParameterGroupName, StringComparison.OrdinalIgnoreCase))
            {
                return $"the cluster uses cluster parameter group '{config.ParameterGroupName}', not '{plan.ParameterGroupName}'";
            }

            var values = new List<string>();
            foreach (var wanted in plan.ParameterChanges)
            {
                var current = parameters?.FirstOrDefault(p => string.Equals(p.ParameterName, wanted.ParameterName, StringComparison.Ordinal));
                if (!wanted.HoldsIn(current))
                {
                    return current == null
                        ? $"the listing of group '{plan.ParameterGroupName}' has no {wanted.ParameterName}"
                        : $"{wanted.ParameterName} reads '{current.ParameterValue ?? "(no value)"}' (source {current.Source ?? "not given"})";
                }

                values.Add(wanted.ParameterName + "=" + current!.ParameterValue);
            }

            var changeNote = string.Join(" ", plan.ParameterChanges.Select(c => c.Note));
            var notInSync = members.Where(m => !m.InSync).Select(m => m.InstanceIdentifier).ToList();
            var unknown = members.Where(m => !m.ParameterGroupStatusKnown).Select(m => m.InstanceIdentifier).ToList();
            var value = values.Count == 0 ? "its values" : string.Join(", ", values);
            if (plan.CreatesParameterGroup)
            {
                if (notInSync.Count == 0 && members.Count > 0)
                {
                    return Mark(config, ChangeOutcome.Applied, $"Sent: {sent}. Read back: the cluster uses '{plan.ParameterGroupName}' with {value}, and every instance runs it (in-sync). {changeNote}", null, new string[0]);
                }

                var reboot = notInSync.Count > 0 ? notInSync : members.Select(m => m.InstanceIdentifier).ToList();
                return Mark(config, ChangeOutcome.Pending,
                    $"Sent: {sent}. Read back: the cluster uses the new custom group '{plan.ParameterGroupName}' with {value}, but a newly attached cluster parameter group takes effect on an instance only when it reboots, so the instances still run the values of '{plan.SourceParameterGroupName}'. " +
                    $"Reboot {ListOrNone(reboot)} (one at a time, the writer last) for the new group to apply." + StatusNote(unknown),
                    $"cluster parameter group '{plan.ParameterGroupName}' ({value}) waits for instance reboots", reboot);
            }

            var staticChange = plan.Modifications.Any(m => m.ApplyMethod == RdsParameter.ApplyPendingReboot);
            if (notInSync.Count == 0)
            {
                return Mark(config, ChangeOutcome.Applied,
                    $"Sent: {sent}. Read back: {value} in '{plan.ParameterGroupName}', and every instance of the cluster runs the group's current values (in-sync). " +
                    (staticChange ? "The instances have already rebooted." : changeNote), null, new string[0]);
            }

            return Mark(config, ChangeOutcome.Pending,
                staticChange
                    ? $"Sent: {sent}. Read back: {value} in '{plan.ParameterGroupName}'. {string.Join(", ", plan.Modifications.Where(m => m.ApplyMethod == RdsParameter.ApplyPendingReboot).Select(m => m.ParameterName))} {(plan.Modifications.Count(m => m.ApplyMethod == RdsParameter.ApplyPendingReboot) == 1 ? "is" : "are")} applied at each instance's next reboot: reboot {ListOrNone(notInSync)} (one at a time, the writer last)." + StatusNote(unknown)
                    : $"Sent: {sent}. Read back: {value} in '{plan.ParameterGroupName}', applied at once by RDS; but {ListOrNone(notInSync)} {(notInSync.Count == 1 ? "does" : "do")} not run the group's current values yet (pending-reboot or unknown status), so {(notInSync.Count == 1 ? "it" : "they")} may run older values until rebooted." + StatusNote(unknown),
                $"{value} waits for instance reboots", notInSync);
        }

        private static string? Mark(AuroraTlsConfig config, ChangeOutcome outcome, string note, string? pending, IReadOnlyList<string> reboot)
        {
            config.Change = outcome;
            config.ChangeNote = note;
            config.PendingChange = pending;
            config.RebootRequired = reboot;
            return null;
        }

        private static string StatusNote(IReadOnlyList<string> unknown) =>
            unknown.Count == 0 ? string.Empty : $" RDS gave no DBClusterParameterGroupStatus for {ListOrNone(unknown)}, so {(unknown.Count == 1 ? "it is" : "they are")} counted as not yet running the change.";

        private static string Text(bool? value) => value == null ? "unknown (not in RDS's answer)" : value.Value ? "true" : "false";

        private static AuroraSecurityException AfterSent(string sent, string cluster, AuroraSecurityException error) =>
            new AuroraSecurityException(error.ErrorId, error.Kind,
                $"Sent: {sent}. RDS accepted the request; reading cluster '{cluster}' back then failed, so whether it is in effect is not known: {error.Message}", error);

        /// <summary>
        /// Sends one write. When its answer is lost (no answer, a timeout, an HTTP 5xx after every retry), reads the state back:
        /// true when RDS applied it after all; otherwise the error, saying what the read-back showed.
        /// </summary>
        private async Task<bool> SendWriteAsync(Func<Task> send, Func<Task<bool>> landed, string sent, string subject)
        {
            try
            {
                await send().ConfigureAwait(false);
                return false;
            }
            catch (RdsApiException e) when (IsLostAnswer(e))
            {
                bool applied;
                string readBack;
                try
                {
                    // RDS may show an accepted change late: look again until the read-back budget is spent.
                    var deadline = DateTime.UtcNow + ReadBackTimeout;
                    while (!(applied = await landed().ConfigureAwait(false)) && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(ReadBackInterval).ConfigureAwait(false);
                    }

                    readBack = applied ? "applied" : $"not applied after {Math.Round(ReadBackTimeout.TotalSeconds, 1)} s";
                }
                catch (Exception re) when (re is RdsApiException || re is AuroraSecurityException)
                {
                    applied = false;
                    readBack = "unknown (the read-back failed too: " + re.Message + ")";
                }

                if (applied) return true;
                var translated = RdsErrorTranslator.Translate(e, subject, Region);
                throw new AuroraSecurityException(translated.ErrorId, translated.Kind,
                    $"Sent: {sent}. {translated.Message} Reading the state back afterwards shows the request {readBack}.", e);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, subject, Region);
            }
        }

        private static bool IsLostAnswer(RdsApiException e) =>
            e.Code == RdsApiException.NetworkErrorCode || e.Code == RdsApiException.RequestTimeoutCode || e.HttpStatus >= 500;

        private ClusterChangePlan PlanModify(string? clusterIdentifier, string group, string? family, IReadOnlyList<string> reached, IReadOnlyList<TlsParameterChange> changes, IReadOnlyList<RdsParameter> metadata)
        {
            // Only the values that differ are sent; when every value holds the plan is unchanged and shows what would be sent.
            var differing = changes.Select((c, i) => (Change: c, Metadata: metadata[i])).Where(p => !p.Change.HoldsIn(p.Metadata)).ToList();
            var unchanged = differing.Count == 0;
            var sending = unchanged ? changes.Select((c, i) => (Change: c, Metadata: metadata[i])).ToList() : differing;
            var modifications = sending.Select(p => p.Change.ModificationFor(p.Metadata)).ToList();
            var sorted = reached.OrderBy(c => c, StringComparer.Ordinal).ToList();
            var settings = string.Join(", ", modifications.Select(m => $"{m.ParameterName}='{m.ParameterValue}' (ApplyMethod {m.ApplyMethod})"));
            return new ClusterChangePlan
            {
                ClusterIdentifier = clusterIdentifier,
                Clusters = sorted,
                ParameterGroupName = group,
                ParameterGroupFamily = family,
                Modifications = modifications,
                IsUnchanged = unchanged,
                ReachesOtherClusters = sorted.Any(c => !string.Equals(c, clusterIdentifier, StringComparison.OrdinalIgnoreCase)),
                Target = $"cluster parameter group '{group}' (reaches {Plural(sorted.Count, "cluster")}: {ListOrNone(sorted)})",
                Action = modifications.Count == 0
                    ? "Nothing to change"
                    : "Set " + string.Join(", ", modifications.Select(m => $"{m.ParameterName} to '{m.ParameterValue}' (ApplyMethod {m.ApplyMethod}" +
                                                                      (m.ApplyMethod == RdsParameter.ApplyImmediate ? ", takes effect now" : ", takes effect after each instance reboots") + ")")),
                Note = string.Join(" ", sending.Select(p => p.Change.Note)),
                Sent = modifications.Count == 0 ? "nothing" : $"ModifyDBClusterParameterGroup for group '{group}' with {settings}",
                ParameterChanges = changes,
            };
        }

        private async Task<ClusterChangePlan> PlanCustomGroupAsync(AuroraCluster cluster, IReadOnlyList<TlsParameterChange> changes, IReadOnlyList<RdsParameter> metadata, string? newName, string subject, CancellationToken cancellationToken)
        {
            var family = cluster.ParameterGroupFamily ?? throw new AuroraSecurityException("ParameterGroupFamilyUnknown", FailureKind.InvalidOperation,
                $"The parameter group family of cluster '{cluster.ClusterIdentifier}' ({cluster.EngineVersion}) is unknown, so no custom group can be created for it.");
            var name = string.IsNullOrWhiteSpace(newName) ? DefaultCustomGroupName(cluster.ClusterIdentifier, family) : newName!.Trim();
            ParameterGroupNameRules.Validate(name);

            var description = CustomGroupDescription(cluster.ClusterIdentifier, cluster.ParameterGroupName!);
            var existing = await FindGroupAsync(name, cancellationToken).ConfigureAwait(false);
            var reuse = existing != null && IsOurGroup(existing, family, description);
            if (existing != null && !reuse)
            {
                throw new AuroraSecurityException("ParameterGroupExists", FailureKind.InvalidOperation,
                    $"A cluster parameter group named '{name}' already exists (family {existing.DBParameterGroupFamily ?? "not given"}, description '{existing.Description ?? ""}'), and it is not one an earlier -CreateCustomGroup run for '{cluster.ClusterIdentifier}' left; nothing was created. " +
                    "Choose another name with -NewParameterGroupName, or attach and change that group yourself.");
            }

            var userSet = await Call(() => _rds.DescribeDBClusterParametersAsync(cluster.ParameterGroupName!, "user", cancellationToken), subject).ConfigureAwait(false);
            var carried = userSet
                .Where(p => !changes.Any(c => string.Equals(p.ParameterName, c.ParameterName, StringComparison.Ordinal)) && p.ParameterValue != null)
                .Select(p => new RdsParameter(p.ParameterName, p.ParameterValue, TlsParameterChange.ApplyMethodFor(p)))
                .ToList();
            var modifications = changes.Select((c, i) => c.ModificationFor(metadata[i])).ToList();
            var setText = string.Join(", ", modifications.Select(m => $"{m.ParameterName}='{m.ParameterValue}' {m.ApplyMethod}"));
            var members = cluster.Members.Select(m => m.InstanceIdentifier).ToList();
            return new ClusterChangePlan
            {
                ClusterIdentifier = cluster.ClusterIdentifier,
                Clusters = new[] { cluster.ClusterIdentifier },
                ParameterGroupName = name,
                SourceParameterGroupName = cluster.ParameterGroupName,
                ParameterGroupFamily = family,
                CreatesParameterGroup = true,
                CarriedOver = carried,
                Modifications = modifications,
                ReachesOtherClusters = false,
                Target = $"cluster '{cluster.ClusterIdentifier}' (now on default group '{cluster.ParameterGroupName}')",
                NewGroupDescription = description,
                ReusesParameterGroup = reuse,
                ParameterChanges = changes,
                Sent = (reuse ? $"reuse of the existing cluster parameter group '{name}' ({family})" : $"CreateDBClusterParameterGroup '{name}' ({family})") +
                       (carried.Count + modifications.Count == 0 ? string.Empty
                           : $", ModifyDBClusterParameterGroup for '{name}' ({Plural(carried.Count, "carried-over value")}" + (modifications.Count == 0 ? ")" : $", {setText})")) +
                       $", ModifyDBCluster attaching '{name}' to cluster '{cluster.ClusterIdentifier}'",
                Action = (reuse ? $"Reuse cluster parameter group '{name}' ({family}, left by an earlier run), copy " : $"Create cluster parameter group '{name}' ({family}), copy ") + $"{Plural(carried.Count, "user-set value")} from '{cluster.ParameterGroupName}', " +
                         string.Concat(modifications.Select(m => $"set {m.ParameterName} to '{m.ParameterValue}' ({m.ApplyMethod}), ")) + "and attach it to the cluster; " +
                         $"the new group takes effect on the instances after their reboot ({ListOrNone(members)})",
                Note = $"Once every instance has rebooted onto '{name}': " + (changes.Count == 0 ? "the cluster's TLS parameters can be changed in its own group." : string.Join(" ", changes.Select(c => c.Note))),
            };
        }

        private async Task<string> CreateAndAttachAsync(ClusterChangePlan plan, CancellationToken cancellationToken)
        {
            var name = plan.ParameterGroupName!;
            var family = plan.ParameterGroupFamily!;
            var description = plan.NewGroupDescription ?? CustomGroupDescription(plan.ClusterIdentifier!, plan.SourceParameterGroupName!);
            var subject = $"cluster '{plan.ClusterIdentifier}' (parameter group '{name}')";
            var lostAnswers = new List<string>();
            var steps = new List<(string Text, Func<Task> Run)>();
            steps.Add(plan.ReusesParameterGroup
                ? ($"reuse cluster parameter group '{name}' (family {family}) left by an earlier run", () => Task.CompletedTask)
                : ($"create cluster parameter group '{name}' in family {family}", async () =>
                {
                    try
                    {
                        if (await SendWriteAsync(
                                () => _rds.CreateDBClusterParameterGroupAsync(name, family, description, cancellationToken),
                                async () => IsOurGroup(await FindGroupAsync(name, cancellationToken).ConfigureAwait(false), family, description),
                                $"CreateDBClusterParameterGroup '{name}'", subject).ConfigureAwait(false))
                        {
                            lostAnswers.Add($"creating '{name}'");
                        }
                    }
                    catch (AuroraSecurityException e) when (e.ErrorId == RdsErrorTranslator.ParameterGroupExistsId)
                    {
                        // Created by an earlier attempt whose answer was lost: ours by name, family and description, so go on with it.
                        if (!IsOurGroup(await FindGroupAsync(name, cancellationToken).ConfigureAwait(false), family, description)) throw;
                    }
                }));
            for (var start = 0; start < plan.CarriedOver.Count; start += MaxParametersPerModify)
            {
                var batch = plan.CarriedOver.Skip(start).Take(MaxParametersPerModify).ToList();
                steps.Add(($"copy {string.Join(", ", batch.Select(p => p.ParameterName))} from '{plan.SourceParameterGroupName}'",
                    async () => { if (await ModifyInBatchesAsync(name, batch, subject, cancellationToken).ConfigureAwait(false)) lostAnswers.Add("copying values"); }));
            }

            if (plan.Modifications.Count > 0)
            {
                steps.Add(($"set {string.Join(", ", plan.Modifications.Select(m => m.ParameterName + "=" + m.ParameterValue))} in '{name}'",
                    async () => { if (await ModifyInBatchesAsync(name, plan.Modifications, subject, cancellationToken).ConfigureAwait(false)) lostAnswers.Add("setting " + string.Join(", ", plan.Modifications.Select(m => m.ParameterName))); }));
            }

            // The group is attached last, so a failure before it leaves the cluster on its old group, untouched.
            steps.Add(($"attach '{name}' to cluster '{plan.ClusterIdentifier}'", async () =>
            {
                if (await SendWriteAsync(
                        () => _rds.ModifyDBClusterAsync(plan.ClusterIdentifier!, name, null, true, cancellationToken),
                        async () =>
                        {
                            var read = await _rds.DescribeDBClustersAsync(plan.ClusterIdentifier, null, cancellationToken).ConfigureAwait(false);
                            return read.Any(c => string.Equals(c.DBClusterParameterGroup, name, StringComparison.OrdinalIgnoreCase));
                        },
                        $"ModifyDBCluster attaching '{name}' to cluster '{plan.ClusterIdentifier}'", subject).ConfigureAwait(false))
                {
                    lostAnswers.Add("attaching the group");
                }
            }));

            for (var i = 0; i < steps.Count; i++)
            {
                try
                {
                    await steps[i].Run().ConfigureAwait(false);
                }
                catch (Exception e) when (e is RdsApiException || e is AuroraSecurityException)
                {
                    var reason = e is RdsApiException rds ? RdsErrorTranslator.Translate(rds, subject, Region).Message : e.Message;
                    var done = steps.Take(i).Select((s, n) => $"{n + 1}. {s.Text}").ToList();
                    var notDone = steps.Skip(i + 1).Select((s, n) => $"{i + n + 2}. {s.Text}").ToList();
                    var groupExists = plan.ReusesParameterGroup || i > 0 || IsOurGroup(await SafeFindGroupAsync(name, cancellationToken).ConfigureAwait(false), family, description);
                    var left = !groupExists
                        ? "Nothing was created."
                        : $"Parameter group '{name}' exists but is not attached; cluster '{plan.ClusterIdentifier}' still uses '{plan.SourceParameterGroupName}'. Run the same command again to finish (the group is reused), or delete '{name}'.";
                    throw new AuroraSecurityException("CustomGroupSwitchIncomplete", FailureKind.ServiceError,
                        $"Moving cluster '{plan.ClusterIdentifier}' to a custom parameter group stopped at step {i + 1} of {steps.Count}. " +
                        $"Done: {(done.Count == 0 ? "nothing" : string.Join("; ", done))}. Failed: {i + 1}. {steps[i].Text}: {reason} " +
                        $"Not done: {(notDone.Count == 0 ? "nothing" : string.Join("; ", notDone))}. {left}", e);
                }
            }

            return plan.Sent + (lostAnswers.Count > 0 ? $" (RDS's answer was lost while {string.Join(", ", lostAnswers)}; reading the state back showed the request had been applied)" : string.Empty);
        }

        private async Task<bool> ModifyInBatchesAsync(string group, IReadOnlyList<RdsParameter> parameters, string subject, CancellationToken cancellationToken)
        {
            var lost = false;
            for (var start = 0; start < parameters.Count; start += MaxParametersPerModify)
            {
                var batch = parameters.Skip(start).Take(MaxParametersPerModify).ToList();
                lost |= await SendWriteAsync(
                    () => _rds.ModifyDBClusterParameterGroupAsync(group, batch, cancellationToken),
                    async () =>
                    {
                        var read = await _rds.DescribeDBClusterParametersAsync(group, null, cancellationToken).ConfigureAwait(false);
                        return batch.All(b => read.Any(r => r.ParameterName == b.ParameterName && SameValue(r.ParameterValue, b.ParameterValue)));
                    },
                    $"ModifyDBClusterParameterGroup for group '{group}' with {string.Join(", ", batch.Select(b => b.ParameterName + "='" + b.ParameterValue + "'"))}", subject).ConfigureAwait(false);
            }

            return lost;
        }

        private static bool SameValue(string? read, string? sent)
        {
            if (string.Equals((read ?? string.Empty).Trim(), (sent ?? string.Empty).Trim(), StringComparison.OrdinalIgnoreCase)) return true;
            var a = AuroraClusterService.OnOff(read);
            return a != null && a == AuroraClusterService.OnOff(sent);
        }

        /// <summary>The description -CreateCustomGroup gives the group it creates; with the name and family it marks the group as ours.</summary>
        public static string CustomGroupDescription(string clusterIdentifier, string sourceGroup) => $"Custom group for {clusterIdentifier} (from {sourceGroup})";

        private static bool IsOurGroup(RdsClusterParameterGroup? group, string family, string description) =>
            group != null
            && string.Equals(group.DBParameterGroupFamily, family, StringComparison.Ordinal)
            && string.Equals(group.Description, description, StringComparison.Ordinal);

        private async Task<RdsClusterParameterGroup?> SafeFindGroupAsync(string name, CancellationToken cancellationToken)
        {
            try
            {
                return await FindGroupAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (AuroraSecurityException)
            {
                return null;
            }
        }

        private static RdsParameter FindModifiable(IReadOnlyList<RdsParameter> parameters, TlsParameterChange change, string group, string? family)
        {
            var metadata = parameters.FirstOrDefault(p => string.Equals(p.ParameterName, change.ParameterName, StringComparison.Ordinal));
            if (metadata == null)
            {
                throw new AuroraSecurityException("ParameterNotInGroup", FailureKind.InvalidOperation,
                    $"Cluster parameter group '{group}' ({family ?? "unknown family"}) has no {change.ParameterName} parameter, so it cannot be set there." +
                    (change.ParameterName == AuroraClusterService.TlsVersionParameter
                        ? " tls_version is settable on Aurora MySQL version 2 only; version 3 accepts TLS 1.0, 1.1 and 1.2 (not TLS 1.3): restrict ssl_cipher with Set-AuroraCipherSuite instead."
                        : string.Empty));
            }

            // Only an explicit IsModifiable=false refuses: a field RDS left out is unknown, and RDS itself decides when the request arrives.
            if (metadata.IsModifiable == false)
            {
                throw new AuroraSecurityException("ParameterNotModifiable", FailureKind.InvalidOperation,
                    $"RDS marks {change.ParameterName} as not modifiable (IsModifiable false) in cluster parameter group '{group}'; nothing was sent.");
            }

            return metadata;
        }

        private async Task<RdsClusterParameterGroup?> FindGroupAsync(string name, CancellationToken cancellationToken)
        {
            try
            {
                var groups = await _rds.DescribeDBClusterParameterGroupsAsync(name, cancellationToken).ConfigureAwait(false);
                return groups.FirstOrDefault(g => string.Equals(g.DBClusterParameterGroupName, name, StringComparison.OrdinalIgnoreCase));
            }
            catch (RdsApiException e) when (e.Code == "DBParameterGroupNotFound" || e.Code == "DBClusterParameterGroupNotFound")
            {
                return null;
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, $"parameter group '{name}'", Region);
            }
        }

        private async Task<IReadOnlyList<AuroraCluster>> ClusterObjectsUsingAsync(string group, string subject, CancellationToken cancellationToken)
        {
            if (_allClusters == null)
            {
                try
                {
                    _allClusters = await _clusters.ListClustersAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (AuroraSecurityException e)
                {
                    throw new AuroraSecurityException(e.ErrorId, e.Kind, $"Finding the clusters that use {subject} failed: {e.Message}", e);
                }
            }

            return _allClusters.Where(c => string.Equals(c.ParameterGroupName, group, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        private async Task<T> Call<T>(Func<Task<T>> call, string subject)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (RdsApiException e)
            {
                throw RdsErrorTranslator.Translate(e, subject, Region);
            }
        }

        private static AuroraSecurityException NotSupportedByEngine(string message) =>
            new AuroraSecurityException("ChangeNotSupportedByEngine", FailureKind.InvalidOperation, message);

        private static AuroraSecurityException DefaultGroupRefused(string message) =>
            new AuroraSecurityException("DefaultParameterGroup", FailureKind.InvalidOperation, message);

        private AuroraSecurityException NotAClusterGroup(string name, Exception? inner = null) =>
            new AuroraSecurityException("NotAClusterParameterGroup", FailureKind.InvalidArgument,
                $"'{name}' is not a DB cluster parameter group in {Region}. require_secure_transport, tls_version and ssl_cipher live in DB cluster parameter groups, " +
                "not in DB (instance) parameter groups; name the cluster's group (Get-AuroraTlsConfig shows it as ParameterGroupName), or use -ClusterIdentifier.", inner);

        /// <summary>"inventory-aurora-mysql80": a valid RDS identifier built from the cluster and its family.</summary>
        public static string DefaultCustomGroupName(string clusterIdentifier, string family)
        {
            var text = (clusterIdentifier + "-" + family.Replace(".", string.Empty)).ToLowerInvariant();
            while (text.Contains("--")) text = text.Replace("--", "-");
            text = text.Trim('-');
            if (text.Length > 255) text = text.Substring(0, 255).TrimEnd('-');
            return text;
        }

        private static string ListOrNone(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

        private static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? string.Empty : "s");
    }
}
