using System;

namespace AuroraSecurity.Engine
{
    /// <summary>The MySQL release an Aurora MySQL major version (or any MySQL-speaking server) is compatible with.</summary>
    public enum MySqlCompatibility
    {
        /// <summary>MySQL 5.6: Aurora MySQL 1.</summary>
        MySql56,

        /// <summary>MySQL 5.7: Aurora MySQL 2.</summary>
        MySql57,

        /// <summary>MySQL 8.0: Aurora MySQL 3.</summary>
        MySql80,
    }

    /// <summary>
    /// The one place that turns MySQL versions, Aurora majors and parameter group families into
    /// <see cref="MySqlCompatibility"/> and back.
    /// </summary>
    public static class MySqlCompatibilities
    {
        /// <summary>The compatibility of an Aurora MySQL major version (1, 2 or 3).</summary>
        public static MySqlCompatibility OfAuroraMajor(int auroraMajor)
        {
            switch (auroraMajor)
            {
                case 1: return MySqlCompatibility.MySql56;
                case 2: return MySqlCompatibility.MySql57;
                case 3: return MySqlCompatibility.MySql80;
                default: throw new ArgumentOutOfRangeException(nameof(auroraMajor), auroraMajor, "Aurora MySQL major versions are 1, 2 and 3.");
            }
        }

        /// <summary>The Aurora MySQL major version compatible with a MySQL release.</summary>
        public static int AuroraMajor(this MySqlCompatibility compatibility) => compatibility switch
        {
            MySqlCompatibility.MySql56 => 1,
            MySqlCompatibility.MySql57 => 2,
            _ => 3,
        };

        /// <summary>The release as MySQL spells it ("5.6", "5.7", "8.0").</summary>
        public static string ToVersionText(this MySqlCompatibility compatibility) => compatibility switch
        {
            MySqlCompatibility.MySql56 => "5.6",
            MySqlCompatibility.MySql57 => "5.7",
            _ => "8.0",
        };

        /// <summary>The Aurora cluster parameter group family ("aurora5.6", "aurora-mysql5.7", "aurora-mysql8.0").</summary>
        public static string ParameterGroupFamily(this MySqlCompatibility compatibility) =>
            compatibility == MySqlCompatibility.MySql56 ? "aurora5.6" : "aurora-mysql" + compatibility.ToVersionText();

        /// <summary>
        /// The compatibility a version string starts with ("5.7.12", "8.0.32", "5.6.10a"), or null when it names none
        /// of them. <paramref name="text"/> is a MySQL server version or an old-style engine version.
        /// </summary>
        public static MySqlCompatibility? FromVersionPrefix(string? text)
        {
            var value = (text ?? string.Empty).Trim();
            if (HasPrefix(value, "5.6")) return MySqlCompatibility.MySql56;
            if (HasPrefix(value, "5.7")) return MySqlCompatibility.MySql57;
            if (HasPrefix(value, "8.0")) return MySqlCompatibility.MySql80;
            return null;
        }

        // "5.7" matches "5.7" and "5.7.12" but not "5.70".
        private static bool HasPrefix(string value, string release) =>
            value.StartsWith(release, StringComparison.Ordinal) && (value.Length == release.Length || !char.IsDigit(value[release.Length]));
    }
}
