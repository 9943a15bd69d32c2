using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AuroraSecurity.Engine
{
    /// <summary>An Aurora MySQL engine version in any of the forms RDS reports, reduced to something comparable.</summary>
    public sealed class AuroraEngineVersion : IComparable<AuroraEngineVersion>, IEquatable<AuroraEngineVersion>
    {
        /// <summary>The forms <see cref="Parse"/> accepts, for error messages and help.</summary>
        public const string AcceptedForms =
            "'5.6.10a', '5.6.mysql_aurora.1.22.2', '5.7.mysql_aurora.2.11.2', '8.0.mysql_aurora.3.05.2', or a bare Aurora version such as '2.11.2' or '3.05.2'";

        private static readonly Regex Qualified = new Regex(
            @"^(?<mysql>5\.6|5\.7|8\.0)\.mysql_aurora\.(?<aurora>(?<major>[123])\.(?<minor>\d{1,2})\.(?<patch>\d{1,2}))$",
            RegexOptions.CultureInvariant);

        private static readonly Regex Bare = new Regex(
            @"^(?<aurora>(?<major>[123])\.(?<minor>\d{1,2})\.(?<patch>\d{1,2}))$",
            RegexOptions.CultureInvariant);

        // Aurora MySQL 1 releases before 1.22 all reported the MySQL version they were compatible with,
        // so the exact Aurora release is unknown: only AURORA_VERSION() on the server tells.
        private static readonly Regex Legacy = new Regex(@"^(?<mysql>5\.6)\.10a$", RegexOptions.CultureInvariant);

        private AuroraEngineVersion(string original, int major, MySqlCompatibility mysqlCompatibility, Version version, string auroraVersion, bool isExact)
        {
            Original = original;
            AuroraMajorVersion = major;
            MySqlCompatibility = mysqlCompatibility;
            Version = version;
            AuroraVersion = auroraVersion;
            IsExact = isExact;
        }

        /// <summary>The text as given.</summary>
        public string Original { get; }

        /// <summary>1, 2 or 3.</summary>
        public int AuroraMajorVersion { get; }

        /// <summary>The MySQL release this engine is compatible with.</summary>
        public MySqlCompatibility MySqlCompatibility { get; }

        /// <summary>The Aurora release as a comparable version (3.05.2 becomes 3.5.2).</summary>
        public Version Version { get; }

        /// <summary>The Aurora release in AWS's spelling ("3.05.2"), or "1.x" when only the legacy form was given.</summary>
        public string AuroraVersion { get; }

        /// <summary>False for the legacy '5.6.10a' form, which does not say which Aurora MySQL 1 release runs.</summary>
        public bool IsExact { get; }

        /// <summary>The parameter group family of this engine ("aurora5.6", "aurora-mysql5.7", "aurora-mysql8.0").</summary>
        public string ParameterGroupFamily => MySqlCompatibility.ParameterGroupFamily();

        /// <summary>Parses any form RDS or AURORA_VERSION() reports; throws FormatException naming the accepted forms.</summary>
        public static AuroraEngineVersion Parse(string text)
        {
            if (TryParse(text, out var version, out var error))
            {
                return version!;
            }

            throw new FormatException(error);
        }

        /// <summary>Parses without throwing; <paramref name="error"/> says what was wrong.</summary>
        public static bool TryParse(string? text, out AuroraEngineVersion? version, out string? error)
        {
            version = null;
            error = null;
            var trimmed = (text ?? string.Empty).Trim();
            if (trimmed.Length == 0)
            {
                error = "An Aurora MySQL engine version is required. Use " + AcceptedForms + ".";
                return false;
            }

            var legacy = Legacy.Match(trimmed);
            if (legacy.Success)
            {
                version = new AuroraEngineVersion(trimmed, 1, MySqlCompatibility.MySql56, new Version(1, 0, 0), "1.x", isExact: false);
                return true;
            }

            var match = Qualified.Match(trimmed);
            if (!match.Success)
            {
                match = Bare.Match(trimmed);
            }

            if (!match.Success)
            {
                error = $"'{trimmed}' is not an Aurora MySQL engine version. Use {AcceptedForms}.";
                return false;
            }

            var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
            var expectedMySql = MySqlCompatibilities.OfAuroraMajor(major);
            var mysql = match.Groups["mysql"].Success ? MySqlCompatibilities.FromVersionPrefix(match.Groups["mysql"].Value)!.Value : expectedMySql;
            if (mysql != expectedMySql)
            {
                error = $"'{trimmed}' mixes MySQL {mysql.ToVersionText()} with Aurora MySQL {major}: Aurora MySQL {major} is compatible with MySQL {expectedMySql.ToVersionText()}. Use {AcceptedForms}.";
                return false;
            }

            var comparable = new Version(
                major,
                int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["patch"].Value, CultureInfo.InvariantCulture));
            version = new AuroraEngineVersion(trimmed, major, mysql, comparable, match.Groups["aurora"].Value, isExact: true);
            return true;
        }


        /// <summary>True when this release is at or above the given Aurora version ("2.10.2").</summary>
        public bool IsAtLeast(string auroraVersion) => Version >= Parse(auroraVersion).Version;

        /// <inheritdoc />
        public int CompareTo(AuroraEngineVersion? other) => other is null ? 1 : Version.CompareTo(other.Version);

        /// <inheritdoc />
        public bool Equals(AuroraEngineVersion? other) => other is not null && Version.Equals(other.Version) && IsExact == other.IsExact;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as AuroraEngineVersion);

        /// <inheritdoc />
        public override int GetHashCode() => Version.GetHashCode();

        /// <inheritdoc />
        public override string ToString() => Original;
    }
}
