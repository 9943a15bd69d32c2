using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuroraSecurity.Engine
{
    /// <summary>
    /// When AWS ends standard support for Aurora MySQL versions. Source: "Release calendars for Amazon Aurora MySQL" in the
    /// Aurora MySQL Release Notes (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html),
    /// major and minor version tables as published on <see cref="TableDate"/>. Update this file, and only this file, when AWS changes them.
    /// </summary>
    public static class EngineSupportCalendar
    {
        /// <summary>The day the tables below were copied from AWS's calendar.</summary>
        public static readonly DateTime TableDate = Day("2026-09-03");

        public const string Source = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html";

        // Aurora major version -> Aurora end of standard support date.
        private static readonly Dictionary<int, DateTime> Majors = new Dictionary<int, DateTime>
        {
            [1] = Day("2023-02-28"),
            [2] = Day("2024-10-31"),
            [3] = Day("2028-04-30"),
        };

        // "major.minor" -> end of standard support of that minor version; AWS lists only the minor versions it still supports.
        private static readonly Dictionary<string, DateTime> Minors = new Dictionary<string, DateTime>(StringComparer.Ordinal)
        {
            ["3.13"] = Day("2027-08-27"),
            ["3.12"] = Day("2027-02-17"),
            ["3.11"] = Day("2026-11-13"),
            ["3.10"] = Day("2028-04-30"),
            ["3.09"] = Day("2026-08-31"),
            ["3.08"] = Day("2026-08-31"),
            ["3.04"] = Day("2026-10-31"),
            ["2.12"] = Day("2024-10-31"),
            ["2.11"] = Day("2024-10-31"),
        };

        /// <summary>The end of standard support of a version and how it is known; null end when the calendar does not say.</summary>
        public static EngineSupportEntry For(AuroraEngineVersion version)
        {
            if (version == null) throw new ArgumentNullException(nameof(version));
            var minorKey = version.AuroraMajorVersion.ToString(CultureInfo.InvariantCulture) + "." + version.Version.Minor.ToString("D2", CultureInfo.InvariantCulture);
            Majors.TryGetValue(version.AuroraMajorVersion, out var major);
            DateTime? majorEnd = Majors.ContainsKey(version.AuroraMajorVersion) ? major : (DateTime?)null;
            if (Minors.TryGetValue(minorKey, out var minorEnd)) return new EngineSupportEntry(minorKey, minorEnd, $"minor version {minorKey} in AWS's calendar of {TableDate:yyyy-MM-dd}", listed: true);

            var listedOfMajor = Minors.Keys.Where(k => k.StartsWith(version.AuroraMajorVersion.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (majorEnd != null && majorEnd <= TableDate)
            {
                return new EngineSupportEntry(minorKey, majorEnd, $"Aurora MySQL {version.AuroraMajorVersion} as a whole in AWS's calendar of {TableDate:yyyy-MM-dd}", listed: false);
            }

            // The calendar lists every minor version AWS still supports: a minor version missing from it is out of standard support.
            if (listedOfMajor.Count > 0)
            {
                return new EngineSupportEntry(minorKey, null,
                    $"AWS's calendar of {TableDate:yyyy-MM-dd} lists the supported Aurora MySQL {version.AuroraMajorVersion} minor versions as {string.Join(", ", listedOfMajor)}; {minorKey} is not among them",
                    listed: false) { Unlisted = true };
            }

            return new EngineSupportEntry(minorKey, majorEnd, majorEnd == null ? "no date in AWS's calendar" : $"Aurora MySQL {version.AuroraMajorVersion} in AWS's calendar of {TableDate:yyyy-MM-dd}", listed: false);
        }

        private static DateTime Day(string iso) => DateTime.SpecifyKind(DateTime.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }

    /// <summary>What the calendar says about one Aurora MySQL minor version.</summary>
    public sealed class EngineSupportEntry
    {
        public EngineSupportEntry(string minorVersion, DateTime? endOfStandardSupport, string basis, bool listed)
        {
            MinorVersion = minorVersion;
            EndOfStandardSupport = endOfStandardSupport;
            Basis = basis;
            Listed = listed;
        }

        /// <summary>"3.10".</summary>
        public string MinorVersion { get; }

        /// <summary>The last day of standard support, or null when the calendar gives no date.</summary>
        public DateTime? EndOfStandardSupport { get; }

        /// <summary>Where the date comes from, in words.</summary>
        public string Basis { get; }

        /// <summary>True when the minor version has its own row in the calendar.</summary>
        public bool Listed { get; }

        /// <summary>True when the calendar lists the major version's supported minor versions and this one is not among them.</summary>
        public bool Unlisted { get; set; }
    }
}
