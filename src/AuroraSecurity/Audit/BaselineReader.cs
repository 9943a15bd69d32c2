using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>
    /// Builds an <see cref="AuditBaseline"/> from the data of a baseline file (a PowerShell data file or JSON, already parsed into
    /// dictionaries and lists) and refuses anything malformed with the file, the key and what is wrong.
    /// </summary>
    public static class BaselineReader
    {
        private static readonly string[] TopKeys = { "Settings", "DisabledChecks", "Scopes", "Suppressions" };
        private static readonly string[] ScopeKeys = { "Name", "Cluster", "Tag", "Settings", "DisabledChecks" };
        private static readonly string[] SuppressionKeys = { "CheckId", "Cluster", "Tag", "Justification", "Expires" };

        /// <summary>The baseline the data describes; an AuroraSecurityException (BaselineInvalid) names the file, the key and the problem.</summary>
        public static AuditBaseline Read(object? data, string source)
        {
            var top = Map(data, string.Empty, source) ?? throw Invalid(source, "(top)", "the file must hold one table of settings (@{ ... } or { ... })");
            UnknownKeys(top, TopKeys, string.Empty, source);
            var rules = Rules(top, string.Empty, source);
            var scopes = List(Get(top, "Scopes"), "Scopes", source).Select((item, i) => Scope(item, $"Scopes[{i}]", source)).ToList();
            var duplicate = scopes.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw Invalid(source, "Scopes", $"two scopes are named '{duplicate.Key}'; give each its own Name");
            var suppressions = List(Get(top, "Suppressions"), "Suppressions", source).Select((item, i) => Suppression(item, $"Suppressions[{i}]", source)).ToList();
            return new AuditBaseline(source, rules, scopes, suppressions);
        }

        private static BaselineRules Rules(IDictionary map, string prefix, string source)
        {
            var settings = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            var settingsMap = Map(Get(map, "Settings"), prefix + "Settings", source);
            if (settingsMap != null)
            {
                foreach (DictionaryEntry entry in settingsMap)
                {
                    var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    var key = $"{prefix}Settings.{name}";
                    var setting = BaselineSetting.Find(name)
                        ?? throw Invalid(source, key, $"there is no such setting; the settings are {string.Join(", ", BaselineSetting.All.Select(s => s.Name))}");
                    try
                    {
                        settings[setting.Name] = setting.Validate(entry.Value, key);
                    }
                    catch (ArgumentException e)
                    {
                        throw Invalid(source, key, $"{e.Message} ({setting.Name} takes {setting.ValueText})");
                    }
                }
            }

            var disabled = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var disabledMap = Map(Get(map, "DisabledChecks"), prefix + "DisabledChecks", source);
            if (disabledMap != null)
            {
                foreach (DictionaryEntry entry in disabledMap)
                {
                    var id = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    var key = $"{prefix}DisabledChecks.{id}";
                    var check = KnownCheck(id, key, source);
                    var reason = (entry.Value as string ?? string.Empty).Trim();
                    if (reason.Length == 0) throw Invalid(source, key, "a check is switched off with a reason: give it as the value ('AURSEC-IAM-001' = 'why')");
                    disabled[check] = reason;
                }
            }

            return new BaselineRules(settings, disabled);
        }

        private static BaselineScope Scope(object? item, string key, string source)
        {
            var map = Map(item, key, source) ?? throw Invalid(source, key, "each scope is a table with Name, Cluster and/or Tag, and Settings and/or DisabledChecks");
            UnknownKeys(map, ScopeKeys, key + ".", source);
            var name = Text(Get(map, "Name"), key + ".Name", source, required: true)!;
            var selector = Selector(map, key, source);
            var rules = Rules(map, key + ".", source);
            if (rules.Settings.Count == 0 && rules.DisabledChecks.Count == 0) throw Invalid(source, key, $"scope '{name}' changes nothing: give it Settings or DisabledChecks");
            return new BaselineScope(name, selector, rules);
        }

        private static FindingSuppression Suppression(object? item, string key, string source)
        {
            var map = Map(item, key, source) ?? throw Invalid(source, key, "each suppression is a table with CheckId, Cluster and/or Tag, Justification and Expires");
            UnknownKeys(map, SuppressionKeys, key + ".", source);
            var check = KnownCheck(Text(Get(map, "CheckId"), key + ".CheckId", source, required: true)!, key + ".CheckId", source);
            var selector = Selector(map, key, source);
            var justification = Text(Get(map, "Justification"), key + ".Justification", source, required: true)!;
            var expiresValue = Get(map, "Expires");
            if (expiresValue == null) throw Invalid(source, key + ".Expires", "a suppression needs an expiry date (yyyy-MM-dd), so an exception is looked at again");
            DateTime expires;
            if (expiresValue is DateTime date)
            {
                expires = date.Date;
            }
            else if (!DateTime.TryParseExact(Convert.ToString(expiresValue, CultureInfo.InvariantCulture)?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expires))
            {
                throw Invalid(source, key + ".Expires", $"'{BaselineSetting.Show(expiresValue)}' is not a date in the form yyyy-MM-dd");
            }

            return new FindingSuppression(check, selector, justification, DateTime.SpecifyKind(expires.Date, DateTimeKind.Utc));
        }

        private static ClusterSelector Selector(IDictionary map, string key, string source)
        {
            var pattern = Text(Get(map, "Cluster"), key + ".Cluster", source, required: false);
            var tag = Text(Get(map, "Tag"), key + ".Tag", source, required: false);
            if (pattern == null && tag == null) throw Invalid(source, key, "say which clusters it covers: Cluster (a name pattern such as 'dev-*', or '*' for all) and/or Tag ('key=value')");
            string? tagKey = null, tagValue = null;
            if (tag != null)
            {
                var equals = tag.IndexOf('=');
                if (equals <= 0) throw Invalid(source, key + ".Tag", $"'{tag}' is not of the form key=value (for example environment=prod)");
                tagKey = tag.Substring(0, equals).Trim();
                tagValue = tag.Substring(equals + 1).Trim();
            }

            return new ClusterSelector(pattern, tagKey, tagValue);
        }

        private static string KnownCheck(string id, string key, string source)
        {
            var check = SecurityCheckCatalog.Find(id);
            if (check == null) throw Invalid(source, key, $"there is no check '{id}'; Get-AuroraSecurityCheck lists the ids");
            return check.Id;
        }

        private static string? Text(object? value, string key, string source, bool required)
        {
            if (value == null)
            {
                if (required) throw Invalid(source, key, "is required");
                return null;
            }

            if (!(value is string text)) throw Invalid(source, key, $"'{BaselineSetting.Show(value)}' is not text");
            text = text.Trim();
            if (text.Length == 0) throw Invalid(source, key, "is empty");
            return text;
        }

        private static IDictionary? Map(object? value, string key, string source)
        {
            if (value == null) return null;
            if (value is IDictionary map) return map;
            throw Invalid(source, key.Length == 0 ? "(top)" : key, "must be a table (@{ ... } or { ... })");
        }

        private static IReadOnlyList<object?> List(object? value, string key, string source)
        {
            if (value == null) return new object?[0];
            if (value is IDictionary single) return new object?[] { single };
            if (value is IEnumerable list && !(value is string)) return list.Cast<object?>().ToList();
            throw Invalid(source, key, "must be a list of tables (@( @{ ... } ) or [ { ... } ])");
        }

        private static object? Get(IDictionary map, string name)
        {
            foreach (DictionaryEntry entry in map)
            {
                if (string.Equals(Convert.ToString(entry.Key, CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase)) return entry.Value;
            }

            return null;
        }

        private static void UnknownKeys(IDictionary map, string[] known, string prefix, string source)
        {
            foreach (DictionaryEntry entry in map)
            {
                var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!known.Contains(name, StringComparer.OrdinalIgnoreCase)) throw Invalid(source, prefix + name, $"is not a key of a baseline here; the keys are {string.Join(", ", known)}");
            }
        }

        private static AuroraSecurityException Invalid(string source, string key, string problem) => Invalid(source, $"{key}: {problem}");

        /// <summary>The one failure for a baseline that cannot be used: the file and the problem; nothing is audited.</summary>
        public static AuroraSecurityException Invalid(string source, string problem) =>
            new AuroraSecurityException("BaselineInvalid", FailureKind.InvalidArgument, $"The baseline {source} is not valid: {problem}. Nothing was audited.");
    }
}
