using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>Plans and applies changes to a cluster's TLS posture (cluster parameter group, IAM authentication), enforcing every rule before a request leaves.</summary>
    public sealed class TlsPostureChanger
    {
        /// <summary>ModifyDBClusterParameterGroup takes at most this many parameters per call.</summary>
        public const int MaxParametersPerModify = 20;

        private readonly IRdsApi _rds;
        private readonly AuroraClusterService _clusters;
        private IReadOnlyList<AuroraCluster>? _allClusters;

        public TlsPostureChanger(IRdsApi rds, string region)
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
        public async Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, TlsParameterChange change, bool createCustomGroup, string? newParameterGroupName, CancellationToken cancellationToken)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            if (change == null) throw new ArgumentNullException(nameof(change));
            var refusal = change.RefusalFor(cluster);
            if (refusal != null) throw NotSupportedByEngine(refusal);

            var group = cluster.ParameterGroupName;
            if (string.IsNullOrEmpty(group))
            {
                throw AuroraClusterService.ParameterGroupUnknown(cluster);
            }

            var subject = $"cluster '{cluster.ClusterIdentifier}' (parameter group '{group}')";
            var parameters = await Call(() => _rds.DescribeDBClusterParametersAsync(group!, null, cancellationToken), subject).ConfigureAwait(false);
            var metadata = FindModifiable(parameters, change, group!, cluster.ParameterGroupFamily);
            var isDefault = AuroraTlsConfig.IsDefaultGroupName(group!);

            if (isDefault && change.HoldsIn(metadata))
            {
                return PlanModify(cluster.ClusterIdentifier, group!, cluster.ParameterGroupFamily, new[] { cluster.ClusterIdentifier }, change, metadata);
            }

            if (isDefault && !createCustomGroup)
            {
                throw DefaultGroupRefused(
                    $"Cluster '{cluster.ClusterIdentifier}' uses the default cluster parameter group '{group}', and RDS never modifies default parameter groups, so {change.ParameterName} cannot be changed there. " +
                    $"Run again with -CreateCustomGroup (optionally -NewParameterGroupName <name>) to create a custom group in family {cluster.ParameterGroupFamily ?? "of the cluster"}, copy the values set in '{group}', change it and attach it to the cluster; the instances use the new group after their next reboot.");
            }

            if (isDefault)
            {
                return await PlanCustomGroupAsync(cluster, change, metadata, newParameterGroupName, subject, cancellationToken).ConfigureAwait(false);
            }

            var sharing = await ClusterObjectsUsingAsync(group!, subject, cancellationToken).ConfigureAwait(false);
            var refusals = sharing.Select(change.RefusalFor).Where(r => r != null).ToList();
            if (refusals.Count > 0)
            {
                throw NotSupportedByEngine(
                    $"Parameter group '{group}' of cluster '{cluster.ClusterIdentifier}' is shared with clusters that cannot take {change.Summary}: " + string.Join(" ", refusals));
            }

            var reached = sharing.Select(c => c.ClusterIdentifier).ToList();
            if (!reached.Contains(cluster.ClusterIdentifier, StringComparer.OrdinalIgnoreCase)) reached.Add(cluster.ClusterIdentifier);
            return PlanModify(cluster.ClusterIdentifier, group!, cluster.ParameterGroupFamily, reached, change, metadata);
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
            return PlanModify(null, name, group.DBParameterGroupFamily, users.Select(c => c.ClusterIdentifier).ToList(), change, metadata);
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
                Note = enable
                    ? "Database accounts created WITH AWSAuthenticationPlugin can now log in with IAM auth tokens; password logins keep working."
                    : "IAM auth tokens are no longer accepted; accounts that log in only with IAM tokens cannot connect until it is enabled again.",
            };
        }

        /// <summary>Sends the plan's requests. A failure part way names what was done and what was not.</summary>
        public async Task ApplyAsync(ClusterChangePlan plan, CancellationToken cancellationToken)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (plan.IsUnchanged) return;
            _allClusters = null;
            var subject = plan.ClusterIdentifier != null
                ? $"cluster '{plan.ClusterIdentifier}' (parameter group '{plan.ParameterGroupName}')"
                : $"parameter group '{plan.ParameterGroupName}' (clusters: {ListOrNone(plan.Clusters)})";

            if (plan.EnableIamDatabaseAuthentication is bool enable)
            {
                await Call(() => _rds.ModifyDBClusterAsync(plan.ClusterIdentifier!, null, enable, true, cancellationToken), $"cluster '{plan.ClusterIdentifier}'").ConfigureAwait(false);
                return;
            }

            if (!plan.CreatesParameterGroup)
            {
                await ModifyInBatchesAsync(plan.ParameterGroupName!, plan.Modifications, subject, cancellationToken).ConfigureAwait(false);
                return;
            }

            await CreateAndAttachAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The TLS settings of every cluster the plan reaches, read again from RDS, marked with what happened.</summary>
        public async Task<IReadOnlyList<ClusterOutcome<AuroraTlsConfig>>> ReadBackAsync(ClusterChangePlan plan, ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            var results = new List<ClusterOutcome<AuroraTlsConfig>>();
            if (plan.Clusters.Count == 0) return results;
            var cache = _clusters.CreateParameterGroupCache();
            var found = await _clusters.GetClustersAsync(plan.Clusters, cancellationToken).ConfigureAwait(false);
            foreach (var cluster in found)
            {
                if (!cluster.Succeeded)
                {
                    results.Add(ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, cluster.Error!));
                    continue;
                }

                try
                {
                    var config = await _clusters.GetTlsConfigAsync(cluster.Value!, cache, cancellationToken).ConfigureAwait(false);
                    config.Change = outcome;
                    config.ChangeNote = outcome == ChangeOutcome.Unchanged ? "Already in place; nothing was sent."
                        : outcome == ChangeOutcome.WhatIf ? $"-WhatIf: nothing was sent. Would change {plan.Target}: {plan.Action}."
                        : plan.Note;
                    results.Add(ClusterOutcome<AuroraTlsConfig>.Success(cluster.Identifier, config));
                }
                catch (AuroraSecurityException e)
                {
                    results.Add(ClusterOutcome<AuroraTlsConfig>.Failure(cluster.Identifier, e));
                }
            }

            return results;
        }

        private ClusterChangePlan PlanModify(string? clusterIdentifier, string group, string? family, IReadOnlyList<string> reached, TlsParameterChange change, RdsParameter metadata)
        {
            var modification = change.ModificationFor(metadata);
            var sorted = reached.OrderBy(c => c, StringComparer.Ordinal).ToList();
            return new ClusterChangePlan
            {
                ClusterIdentifier = clusterIdentifier,
                Clusters = sorted,
                ParameterGroupName = group,
                ParameterGroupFamily = family,
                Modifications = new[] { modification },
                IsUnchanged = change.HoldsIn(metadata),
                ReachesOtherClusters = sorted.Any(c => !string.Equals(c, clusterIdentifier, StringComparison.OrdinalIgnoreCase)),
                Target = $"cluster parameter group '{group}' (reaches {Plural(sorted.Count, "cluster")}: {ListOrNone(sorted)})",
                Action = $"Set {change.ParameterName} to '{modification.ParameterValue}' (ApplyMethod {modification.ApplyMethod}" +
                         (modification.ApplyMethod == RdsParameter.ApplyImmediate ? ", takes effect now" : ", takes effect after each instance reboots") + ")",
                Note = change.Note,
            };
        }

        private async Task<ClusterChangePlan> PlanCustomGroupAsync(AuroraCluster cluster, TlsParameterChange change, RdsParameter metadata, string? newName, string subject, CancellationToken cancellationToken)
        {
            var family = cluster.ParameterGroupFamily ?? throw new AuroraSecurityException("ParameterGroupFamilyUnknown", FailureKind.InvalidOperation,
                $"The parameter group family of cluster '{cluster.ClusterIdentifier}' ({cluster.EngineVersion}) is unknown, so no custom group can be created for it.");
            var name = string.IsNullOrWhiteSpace(newName) ? DefaultCustomGroupName(cluster.ClusterIdentifier, family) : newName!.Trim();
            if (name.StartsWith("default", StringComparison.OrdinalIgnoreCase))
            {
                throw new AuroraSecurityException("ParameterGroupNameInvalid", FailureKind.InvalidArgument, $"'{name}' cannot be a custom parameter group name: names starting with 'default' are reserved by RDS.");
            }

            if (await GroupExistsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                throw new AuroraSecurityException("ParameterGroupExists", FailureKind.InvalidOperation,
                    $"A cluster parameter group named '{name}' already exists; nothing was created. Choose another name with -NewParameterGroupName, or attach and change that group yourself.");
            }

            var userSet = await Call(() => _rds.DescribeDBClusterParametersAsync(cluster.ParameterGroupName!, "user", cancellationToken), subject).ConfigureAwait(false);
            var carried = userSet
                .Where(p => !string.Equals(p.ParameterName, change.ParameterName, StringComparison.Ordinal) && p.ParameterValue != null)
                .Select(p => new RdsParameter(p.ParameterName, p.ParameterValue, TlsParameterChange.ApplyMethodFor(p)))
                .ToList();
            var modification = change.ModificationFor(metadata);
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
                Modifications = new[] { modification },
                ReachesOtherClusters = false,
                Target = $"cluster '{cluster.ClusterIdentifier}' (now on default group '{cluster.ParameterGroupName}')",
                Action = $"Create cluster parameter group '{name}' ({family}), copy {Plural(carried.Count, "user-set value")} from '{cluster.ParameterGroupName}', " +
                         $"set {change.ParameterName} to '{modification.ParameterValue}' ({modification.ApplyMethod}), and attach it to the cluster; " +
                         $"the new group takes effect on the instances after their reboot ({ListOrNone(members)})",
                Note = $"Cluster now uses the new custom parameter group '{name}'; its instances run the old group's values until each is rebooted. " + change.Note,
            };
        }

        private async Task CreateAndAttachAsync(ClusterChangePlan plan, CancellationToken cancellationToken)
        {
            var name = plan.ParameterGroupName!;
            var steps = new List<(string Text, Func<Task> Run)>
            {
                ($"create cluster parameter group '{name}' in family {plan.ParameterGroupFamily}",
                    () => _rds.CreateDBClusterParameterGroupAsync(name, plan.ParameterGroupFamily!, $"Custom group for {plan.ClusterIdentifier} (from {plan.SourceParameterGroupName})", cancellationToken)),
            };
            for (var start = 0; start < plan.CarriedOver.Count; start += MaxParametersPerModify)
            {
                var batch = plan.CarriedOver.Skip(start).Take(MaxParametersPerModify).ToList();
                steps.Add(($"copy {string.Join(", ", batch.Select(p => p.ParameterName))} from '{plan.SourceParameterGroupName}'",
                    () => _rds.ModifyDBClusterParameterGroupAsync(name, batch, cancellationToken)));
            }

            steps.Add(($"set {string.Join(", ", plan.Modifications.Select(m => m.ParameterName + "=" + m.ParameterValue))} in '{name}'",
                () => _rds.ModifyDBClusterParameterGroupAsync(name, plan.Modifications, cancellationToken)));
            // The group is attached last, so a failure before it leaves the cluster on its old group, untouched.
            steps.Add(($"attach '{name}' to cluster '{plan.ClusterIdentifier}'",
                () => _rds.ModifyDBClusterAsync(plan.ClusterIdentifier!, name, null, true, cancellationToken)));

            for (var i = 0; i < steps.Count; i++)
            {
                try
                {
                    await steps[i].Run().ConfigureAwait(false);
                }
                catch (Exception e) when (e is RdsApiException || e is AuroraSecurityException)
                {
                    var reason = e is RdsApiException rds
                        ? RdsErrorTranslator.Translate(rds, $"cluster '{plan.ClusterIdentifier}' (parameter group '{name}')", Region).Message
                        : e.Message;
                    var done = steps.Take(i).Select((s, n) => $"{n + 1}. {s.Text}").ToList();
                    var notDone = steps.Skip(i + 1).Select((s, n) => $"{i + n + 2}. {s.Text}").ToList();
                    var left = i == 0
                        ? "Nothing was created."
                        : $"Parameter group '{name}' exists but is not attached; cluster '{plan.ClusterIdentifier}' still uses '{plan.SourceParameterGroupName}'. Delete '{name}' or finish the remaining steps.";
                    throw new AuroraSecurityException("CustomGroupSwitchIncomplete", FailureKind.ServiceError,
                        $"Moving cluster '{plan.ClusterIdentifier}' to a custom parameter group stopped at step {i + 1} of {steps.Count}. " +
                        $"Done: {(done.Count == 0 ? "nothing" : string.Join("; ", done))}. Failed: {i + 1}. {steps[i].Text}: {reason} " +
                        $"Not done: {(notDone.Count == 0 ? "nothing" : string.Join("; ", notDone))}. {left}", e);
                }
            }
        }

        private async Task ModifyInBatchesAsync(string group, IReadOnlyList<RdsParameter> parameters, string subject, CancellationToken cancellationToken)
        {
            for (var start = 0; start < parameters.Count; start += MaxParametersPerModify)
            {
                var batch = parameters.Skip(start).Take(MaxParametersPerModify).ToList();
                await Call(() => _rds.ModifyDBClusterParameterGroupAsync(group, batch, cancellationToken), subject).ConfigureAwait(false);
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

            if (!metadata.IsModifiable)
            {
                throw new AuroraSecurityException("ParameterNotModifiable", FailureKind.InvalidOperation,
                    $"RDS marks {change.ParameterName} as not modifiable in cluster parameter group '{group}'.");
            }

            return metadata;
        }

        private async Task<bool> GroupExistsAsync(string name, CancellationToken cancellationToken)
        {
            try
            {
                var groups = await _rds.DescribeDBClusterParameterGroupsAsync(name, cancellationToken).ConfigureAwait(false);
                return groups.Count > 0;
            }
            catch (RdsApiException e) when (e.Code == "DBParameterGroupNotFound" || e.Code == "DBClusterParameterGroupNotFound")
            {
                return false;
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
