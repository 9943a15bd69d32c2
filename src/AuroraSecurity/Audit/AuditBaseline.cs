using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Audit
{
    /// <summary>
    /// A team's agreed audit baseline: settings for the checks, checks switched off with a reason, scopes that change both for
    /// clusters matched by name pattern or tag, and suppressions of findings with a justification and an expiry date.
    /// </summary>
    public sealed class AuditBaseline
    {
        internal AuditBaseline(string source, BaselineRules rules, IReadOnlyList<BaselineScope> scopes, IReadOnlyList<FindingSuppression> suppressions)
        {
            Source = source;
            Rules = rules;
            Scopes = scopes;
            Suppressions = suppressions;
        }

        /// <summary>Where the baseline came from (its file).</summary>
        public string Source { get; }

        /// <summary>The settings and switched-off checks for every cluster.</summary>
        public BaselineRules Rules { get; }

        /// <summary>Settings and switched-off checks for the clusters each scope matches, applied in order after <see cref="Rules"/>.</summary>
        public IReadOnlyList<BaselineScope> Scopes { get; }

        public IReadOnlyList<FindingSuppression> Suppressions { get; }

        /// <summary>The scopes that apply to a cluster, in file order.</summary>
        public IReadOnlyList<BaselineScope> ScopesFor(AuroraCluster cluster) => Scopes.Where(s => s.Matches(cluster.ClusterIdentifier, cluster.Tags)).ToList();

        /// <summary>The check settings for a cluster: the defaults, then the baseline's, then each matching scope's.</summary>
        public AuditSettings SettingsFor(AuroraCluster cluster)
        {
            var settings = new AuditSettings();
            Rules.ApplyTo(settings);
            foreach (var scope in ScopesFor(cluster)) scope.Rules.ApplyTo(settings);
            return settings;
        }

        /// <summary>
        /// The finding as the baseline has it: a check switched off for the cluster becomes NotApplicable with the reason; a finding
        /// that a live suppression covers becomes Suppressed (its real status kept in <see cref="Finding.SuppressedStatus"/>); an expired
        /// suppression leaves the status alone and says it expired.
        /// </summary>
        public Finding Apply(Finding finding, DateTime now)
        {
            if (finding == null) throw new ArgumentNullException(nameof(finding));
            var tags = finding.Cluster?.Tags;
            var off = OffReason(finding.CheckId, finding.ClusterIdentifier, tags);
            if (off != null)
            {
                finding.Status = FindingStatus.NotApplicable;
                finding.Reason = off;
                finding.Recommendation = string.Empty;
                return finding;
            }

            if (finding.Status != FindingStatus.Fail && finding.Status != FindingStatus.Warning) return finding;
            var matching = Suppressions.Where(s => s.Matches(finding.CheckId, finding.ClusterIdentifier, tags)).ToList();
            if (matching.Count == 0) return finding;
            var live = matching.Where(s => !s.HasExpired(now)).OrderByDescending(s => s.Expires).FirstOrDefault();
            if (live != null)
            {
                finding.SuppressedStatus = finding.Status;
                finding.Status = FindingStatus.Suppressed;
                finding.Justification = live.Justification;
                finding.SuppressionExpires = live.Expires;
                return finding;
            }

            var expired = matching.OrderByDescending(s => s.Expires).First();
            finding.Justification = expired.Justification;
            finding.SuppressionExpires = expired.Expires;
            finding.Reason = $"{finding.Reason} The baseline's suppression of this finding expired on {expired.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (\"{expired.Justification}\"): fix the cause, or renew the suppression in {Source}.";
            return finding;
        }

        private string? OffReason(string checkId, string cluster, IReadOnlyDictionary<string, string>? tags)
        {
            if (Rules.DisabledChecks.TryGetValue(checkId, out var reason)) return $"Switched off by the baseline {Source}: {reason}";
            foreach (var scope in Scopes.Where(s => s.Matches(cluster, tags)).Reverse())
            {
                if (scope.Rules.DisabledChecks.TryGetValue(checkId, out reason)) return $"Switched off by the baseline {Source}, scope '{scope.Name}': {reason}";
            }

            return null;
        }
    }

    /// <summary>Settings and switched-off checks, for every cluster or for a scope.</summary>
    public sealed class BaselineRules
    {
        internal BaselineRules(IReadOnlyDictionary<string, object> settings, IReadOnlyDictionary<string, string> disabledChecks)
        {
            Settings = settings;
            DisabledChecks = disabledChecks;
        }

        /// <summary>Setting name → value (only those the baseline gives).</summary>
        public IReadOnlyDictionary<string, object> Settings { get; }

        /// <summary>Check id → why it is switched off.</summary>
        public IReadOnlyDictionary<string, string> DisabledChecks { get; }

        internal void ApplyTo(AuditSettings settings)
        {
            foreach (var entry in Settings) BaselineSetting.Find(entry.Key)!.Apply(settings, entry.Value);
        }
    }

    /// <summary>Clusters picked by a name pattern (wildcards * and ?) and/or a tag (key=value), and the rules that apply to them.</summary>
    public sealed class BaselineScope
    {
        internal BaselineScope(string name, ClusterSelector selector, BaselineRules rules)
        {
            Name = name;
            Selector = selector;
            Rules = rules;
        }

        public string Name { get; }

        public ClusterSelector Selector { get; }

        public BaselineRules Rules { get; }

        public bool Matches(string cluster, IReadOnlyDictionary<string, string>? tags) => Selector.Matches(cluster, tags);
    }

    /// <summary>A suppression: the findings of one check on the clusters it selects are set aside, with a justification, until it expires.</summary>
    public sealed class FindingSuppression
    {
        internal FindingSuppression(string checkId, ClusterSelector selector, string justification, DateTime expires)
        {
            CheckId = checkId;
            Selector = selector;
            Justification = justification;
            Expires = expires;
        }

        public string CheckId { get; }

        public ClusterSelector Selector { get; }

        public string Justification { get; }

        /// <summary>The last day (UTC) the suppression holds.</summary>
        public DateTime Expires { get; }

        public bool HasExpired(DateTime now) => now.ToUniversalTime().Date > Expires.Date;

        public bool Matches(string checkId, string cluster, IReadOnlyDictionary<string, string>? tags) =>
            string.Equals(CheckId, checkId, StringComparison.OrdinalIgnoreCase) && Selector.Matches(cluster, tags);
    }

    /// <summary>Which clusters a scope or suppression covers: a name pattern, a tag, or both (then both must match).</summary>
    public sealed class ClusterSelector
    {
        private readonly Regex? _pattern;

        internal ClusterSelector(string? clusterPattern, string? tagKey, string? tagValue)
        {
            ClusterPattern = clusterPattern;
            TagKey = tagKey;
            TagValue = tagValue;
            if (clusterPattern != null)
            {
                _pattern = new Regex("^" + Regex.Escape(clusterPattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            }
        }

        /// <summary>The cluster name pattern (* and ? wildcards, case-insensitive), or null.</summary>
        public string? ClusterPattern { get; }

        public string? TagKey { get; }

        public string? TagValue { get; }

        /// <summary>True when the cluster's name matches the pattern and it carries the tag (a cluster whose tags are unknown carries none).</summary>
        public bool Matches(string cluster, IReadOnlyDictionary<string, string>? tags)
        {
            if (_pattern != null && !_pattern.IsMatch(cluster ?? string.Empty)) return false;
            if (TagKey == null) return true;
            return tags != null && tags.TryGetValue(TagKey, out var value) && string.Equals(value, TagValue, StringComparison.Ordinal);
        }

        public override string ToString() =>
            string.Join(" and ", new[] { ClusterPattern == null ? null : $"clusters '{ClusterPattern}'", TagKey == null ? null : $"tag {TagKey}={TagValue}" }.Where(p => p != null));
    }
}
