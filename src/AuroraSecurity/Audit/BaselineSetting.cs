using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>One setting a baseline can give: its name, what values it takes, its default, and how it reaches the checks.</summary>
    public sealed class BaselineSetting
    {
        private readonly Func<object?, string, object> _validate;
        private readonly Action<AuditSettings, object> _apply;

        private BaselineSetting(string name, string description, object defaultValue, string valueText, Func<object?, string, object> validate, Action<AuditSettings, object> apply)
        {
            Name = name;
            Description = description;
            DefaultValue = defaultValue;
            ValueText = valueText;
            _validate = validate;
            _apply = apply;
        }

        public string Name { get; }

        /// <summary>What the setting decides, for the commented starting file.</summary>
        public string Description { get; }

        public object DefaultValue { get; }

        /// <summary>What values it takes ("a whole number from 1 to 3650").</summary>
        public string ValueText { get; }

        /// <summary>The TLS versions tls_version takes, in Aurora MySQL's spelling (declared before <see cref="All"/>, which uses it).</summary>
        public static IReadOnlyList<string> TlsVersionNames { get; } = new[] { "TLSv1", "TLSv1.1", "TLSv1.2" };

        /// <summary>Every setting, in the order the starting file lists them.</summary>
        public static IReadOnlyList<BaselineSetting> All { get; } = new[]
        {
            Days("CertificateWarningDays", "Days before an instance's CA certificate expires from which the certificate check warns.", 30, s => s.CertificateWarningDays, (s, v) => s.CertificateWarningDays = v),
            Days("MinimumBackupRetentionDays", "Fewest days of automated backups the backup retention check accepts (FSBP RDS.50 asks for 7).", 7,
                s => s.MinimumBackupRetentionDays, (s, v) => s.MinimumBackupRetentionDays = v, maximum: 35),
            Days("EngineSupportWarningDays", "Days before the end of standard support of a cluster's engine version from which the engine version check warns.", 180,
                s => s.EngineSupportWarningDays, (s, v) => s.EngineSupportWarningDays = v),
            Ciphers("AllowedCiphers", "The ciphers allowed in ssl_cipher, in order of preference: the cipher checks fail on any other value and accept the DHE ciphers listed; Repair-AuroraSecurityFinding sets those a cluster's release supports. Empty: the strongest ECDHE set each release supports.",
                s => s.AllowedCiphers, (s, v) => s.AllowedCiphers = v),
            TlsVersions("AllowedTlsVersions", "The TLS versions clients may use: the TLS version check fails on any other that tls_version (or, on Aurora MySQL 3, ssl_cipher) allows.",
                s => s.AllowedTlsVersions, (s, v) => s.AllowedTlsVersions = v),
            Cidrs("AllowedCidrs", "Networks allowed to reach the database port: security group rules from inside them are not findings of the open-ingress check, and rules from any other network are. Empty: only rules from the whole internet (0.0.0.0/0, ::/0) are findings.",
                s => s.AllowedCidrs, (s, v) => s.AllowedCidrs = v),
        };

        /// <summary>The setting with this name (case-insensitive), or null.</summary>
        public static BaselineSetting? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The value checked and converted; an ArgumentException says what is wrong with it.</summary>
        public object Validate(object? value, string key) => _validate(value, key);

        public void Apply(AuditSettings settings, object value) => _apply(settings, value);

        private static BaselineSetting Days(string name, string description, int defaultValue, Func<AuditSettings, int> read, Action<AuditSettings, int> write, int maximum = 3650)
        {
            if (read(new AuditSettings()) != defaultValue) throw new InvalidOperationException($"The baseline default of {name} differs from the checks' default.");
            return new BaselineSetting(name, description, defaultValue, $"a whole number from 1 to {maximum}",
                (value, key) =>
                {
                    var number = ToWholeNumber(value);
                    if (number == null || number < 1 || number > maximum) throw new ArgumentException($"'{Show(value)}' is not a whole number from 1 to {maximum}");
                    return number.Value;
                },
                (settings, value) => write(settings, (int)value));
        }

        private static BaselineSetting Ciphers(string name, string description, Func<AuditSettings, IReadOnlyList<string>> read, Action<AuditSettings, IReadOnlyList<string>> write)
        {
            if (read(new AuditSettings()).Count != 0) throw new InvalidOperationException($"The baseline default of {name} differs from the checks' default.");
            return new BaselineSetting(name, description, new string[0], $"a list of cipher names from Get-AuroraSupportedCipher ({Tls.CipherCatalog.NameList})",
                (value, key) =>
                {
                    var items = value is string one ? new object?[] { one }
                        : value is System.Collections.IEnumerable many ? many.Cast<object?>().ToArray()
                        : throw new ArgumentException($"'{Show(value)}' is not a list of cipher names");
                    var names = new List<string>();
                    foreach (var item in items)
                    {
                        var cipher = item is string text ? Tls.CipherCatalog.Find(text) : null;
                        if (cipher == null) throw new ArgumentException($"'{Show(item)}' is not a cipher Aurora MySQL accepts in ssl_cipher; valid names: {Tls.CipherCatalog.NameList}");
                        if (!names.Contains(cipher.Name)) names.Add(cipher.Name);
                    }

                    return (IReadOnlyList<string>)names;
                },
                (settings, value) => write(settings, (IReadOnlyList<string>)value));
        }

        private static BaselineSetting TlsVersions(string name, string description, Func<AuditSettings, IReadOnlyList<string>> read, Action<AuditSettings, IReadOnlyList<string>> write)
        {
            var defaults = read(new AuditSettings());
            return new BaselineSetting(name, description, defaults.ToArray(), $"a list of {string.Join(", ", TlsVersionNames)} that includes TLSv1.2",
                (value, key) =>
                {
                    var versions = new List<string>();
                    foreach (var item in Items(value, "TLS versions"))
                    {
                        var text = (item as string ?? string.Empty).Trim();
                        // MariaDB and OpenSSL spell TLS 1.0 "TLSv1.0"; tls_version on Aurora MySQL says "TLSv1".
                        if (string.Equals(text, "TLSv1.0", StringComparison.OrdinalIgnoreCase)) text = "TLSv1";
                        var known = TlsVersionNames.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
                        if (known == null) throw new ArgumentException($"'{Show(item)}' is not a TLS version Aurora MySQL allows; valid names: {string.Join(", ", TlsVersionNames)}");
                        if (!versions.Contains(known)) versions.Add(known);
                    }

                    if (!versions.Contains("TLSv1.2")) throw new ArgumentException("TLSv1.2 must be allowed: it is the one version every Aurora MySQL release offers with strong ciphers");
                    return (IReadOnlyList<string>)TlsVersionNames.Where(versions.Contains).ToList();
                },
                (settings, value) => write(settings, (IReadOnlyList<string>)value));
        }

        private static BaselineSetting Cidrs(string name, string description, Func<AuditSettings, IReadOnlyList<string>> read, Action<AuditSettings, IReadOnlyList<string>> write)
        {
            if (read(new AuditSettings()).Count != 0) throw new InvalidOperationException($"The baseline default of {name} differs from the checks' default.");
            return new BaselineSetting(name, description, new string[0], "a list of IPv4 or IPv6 CIDR blocks (10.0.0.0/16, 2001:db8::/32)",
                (value, key) =>
                {
                    var blocks = new List<string>();
                    foreach (var item in Items(value, "CIDR blocks"))
                    {
                        if (!Ec2.CidrBlock.TryParse(item as string, out var block, out var problem)) throw new ArgumentException($"'{Show(item)}' is not a CIDR block: {problem}");
                        if (!blocks.Contains(block!.Text)) blocks.Add(block.Text);
                    }

                    return (IReadOnlyList<string>)blocks;
                },
                (settings, value) => write(settings, (IReadOnlyList<string>)value));
        }

        private static object?[] Items(object? value, string what) =>
            value is string one ? new object?[] { one }
            : value is System.Collections.IEnumerable many ? many.Cast<object?>().ToArray()
            : throw new ArgumentException($"'{Show(value)}' is not a list of {what}");

        private static int? ToWholeNumber(object? value)
        {
            switch (value)
            {
                case int i: return i;
                case long l when l >= int.MinValue && l <= int.MaxValue: return (int)l;
                case double d when Math.Abs(d - Math.Round(d)) < 1e-9 && d >= int.MinValue && d <= int.MaxValue: return (int)d;
                case decimal m when m == Math.Round(m) && m >= int.MinValue && m <= int.MaxValue: return (int)m;
                case string s when int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
                default: return null;
            }
        }

        internal static string Show(object? value) => value == null ? "(nothing)" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
