using System;

namespace AuroraSecurity.Audit
{
    /// <summary>The result of one security check on one Aurora MySQL cluster: what was checked, the outcome, why, and what to run.</summary>
    public sealed class Finding
    {
        /// <summary>The check's stable id ("AURSEC-TLS-001").</summary>
        public string CheckId { get; set; } = string.Empty;

        public string Title { get; set; } = string.Empty;

        public FindingSeverity Severity { get; set; }

        public FindingStatus Status { get; set; }

        /// <summary>Why the check came out this way, with the values seen.</summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>What to do, usually the cmdlet to run; empty when nothing needs doing.</summary>
        public string Recommendation { get; set; } = string.Empty;

        /// <summary>What the finding is about: the cluster ARN, or its identifier when RDS gave no ARN.</summary>
        public string Target { get; set; } = string.Empty;

        public string ClusterIdentifier { get; set; } = string.Empty;

        /// <summary>The same value as <see cref="ClusterIdentifier"/>, under the name AWS.Tools cmdlets bind by property name.</summary>
        public string DBClusterIdentifier => ClusterIdentifier;

        public string? DBClusterArn { get; set; }

        public string Region { get; set; } = string.Empty;

        public string? EngineVersion { get; set; }

        /// <summary>
        /// When the check was evaluated: UTC in ISO 8601 with its offset ("2026-11-29T23:20:31.0000000+00:00"), so CSV and JSON
        /// carry it unambiguously whatever the reader's culture; it sorts in time order as text.
        /// </summary>
        public string Timestamp { get; set; } = string.Empty;

        /// <summary>The ISO 8601 text for a moment, as <see cref="Timestamp"/> holds it.</summary>
        public static string FormatTimestamp(DateTime moment) =>
            new DateTimeOffset(DateTime.SpecifyKind(moment.ToUniversalTime(), DateTimeKind.Utc)).ToString("o", System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"{ClusterIdentifier} {CheckId} {Status}";
    }
}
