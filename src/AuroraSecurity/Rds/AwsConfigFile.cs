using System;
using System.Collections.Generic;
using System.IO;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// The AWS shared config file read as the SDKs read it: [default], [profile name], [services name] and [sso-session name]
    /// sections, and nested settings ("rds =" followed by indented "endpoint_url = …"). Only what AWSSDK.Core does not expose is read here.
    /// </summary>
    public sealed class AwsConfigFile
    {
        private readonly Dictionary<string, Dictionary<string, string>> _sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

        /// <summary>The file's sections by their full header ("profile prod", "default", "services local"); nested keys as "rds.endpoint_url".</summary>
        public IReadOnlyDictionary<string, Dictionary<string, string>> Sections => _sections;

        /// <summary>The config file the SDKs use: AWS_CONFIG_FILE, else ~/.aws/config.</summary>
        public static string DefaultPath(Func<string, string?> environment)
        {
            if (environment == null) throw new ArgumentNullException(nameof(environment));
            var configured = environment("AWS_CONFIG_FILE");
            if (!string.IsNullOrWhiteSpace(configured)) return configured!;
            return Path.Combine(HomeDirectory(environment), ".aws", "config");
        }

        /// <summary>The home directory the SDKs put .aws in: HOME, else USERPROFILE, else the user's profile folder.</summary>
        public static string HomeDirectory(Func<string, string?> environment)
        {
            if (environment == null) throw new ArgumentNullException(nameof(environment));
            var home = environment("HOME");
            if (string.IsNullOrWhiteSpace(home)) home = environment("USERPROFILE");
            if (string.IsNullOrWhiteSpace(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home!;
        }

        /// <summary>
        /// The config file with a shared credentials file laid over it: each credentials section [name] is the profile "name", and its
        /// settings win over the config file's [profile name] (or [default]) settings.
        /// </summary>
        public static AwsConfigFile Overlay(AwsConfigFile config, AwsConfigFile credentials)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            var merged = new AwsConfigFile();
            foreach (var section in config._sections) merged._sections[section.Key] = new Dictionary<string, string>(section.Value, StringComparer.OrdinalIgnoreCase);
            foreach (var section in credentials._sections)
            {
                var header = section.Key == "default" && !merged._sections.ContainsKey("profile default") ? "default" : "profile " + section.Key;
                if (!merged._sections.TryGetValue(header, out var target))
                {
                    target = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    merged._sections[header] = target;
                }

                foreach (var pair in section.Value) target[pair.Key] = pair.Value;
            }

            return merged;
        }

        /// <summary>Reads the file; a missing file is an empty configuration.</summary>
        public static AwsConfigFile Load(string? path)
        {
            var file = new AwsConfigFile();
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) return file;
            file.Parse(File.ReadAllLines(path));
            return file;
        }

        /// <summary>Parses config text (for tests and for files already read).</summary>
        public static AwsConfigFile Parse(string text)
        {
            var file = new AwsConfigFile();
            file.Parse((text ?? string.Empty).Replace("\r\n", "\n").Split('\n'));
            return file;
        }

        /// <summary>The settings of a profile: [profile name] (or [name] in a credentials file), [default] for "default".</summary>
        public IReadOnlyDictionary<string, string>? Profile(string name)
        {
            if (_sections.TryGetValue("profile " + name, out var section)) return section;
            return _sections.TryGetValue(name, out section) ? section : null;
        }

        /// <summary>The [sso-session name] section (the IAM Identity Center portal's start URL, region and scopes).</summary>
        public IReadOnlyDictionary<string, string>? SsoSession(string name) => _sections.TryGetValue("sso-session " + name, out var section) ? section : null;

        public IReadOnlyDictionary<string, string>? Services(string name) => _sections.TryGetValue("services " + name, out var section) ? section : null;

        private void Parse(IEnumerable<string> lines)
        {
            Dictionary<string, string>? current = null;
            string? parent = null;
            foreach (var raw in lines)
            {
                var line = StripComment(raw);
                if (line.Trim().Length == 0) continue;
                var trimmed = line.Trim();
                if (trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal))
                {
                    var header = string.Join(" ", trimmed.Substring(1, trimmed.Length - 2).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
                    if (!_sections.TryGetValue(header, out current))
                    {
                        current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        _sections[header] = current;
                    }

                    parent = null;
                    continue;
                }

                if (current == null) continue;
                var eq = trimmed.IndexOf('=');
                if (eq <= 0) continue;
                var key = trimmed.Substring(0, eq).Trim();
                var value = trimmed.Substring(eq + 1).Trim();
                var indented = char.IsWhiteSpace(line[0]);
                if (indented && parent != null)
                {
                    current[parent + "." + key] = value;
                    continue;
                }

                current[key] = value;
                parent = value.Length == 0 ? key : null;
            }
        }

        private static string StripComment(string line)
        {
            var t = line.TrimStart();
            return t.StartsWith("#", StringComparison.Ordinal) || t.StartsWith(";", StringComparison.Ordinal) ? string.Empty : line;
        }
    }
}
