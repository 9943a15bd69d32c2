using AuroraSecurity.Audit;

namespace AuroraSecurity.Repair
{
    /// <summary>A finding the repair left alone: why, and what to do by hand.</summary>
    public sealed class SkippedFinding
    {
        public SkippedFinding(Finding finding, string reason, string recommendation)
        {
            Finding = finding;
            CheckId = finding.CheckId;
            ClusterIdentifier = finding.ClusterIdentifier;
            Region = finding.Region;
            Status = finding.Status;
            Reason = reason;
            Recommendation = recommendation;
        }

        /// <summary>Always "Skipped": nothing was sent for this finding.</summary>
        public string Repair => "Skipped";

        public string CheckId { get; }

        public string ClusterIdentifier { get; }

        public string Region { get; }

        /// <summary>The finding's status, unchanged.</summary>
        public FindingStatus Status { get; }

        /// <summary>Why the finding was not repaired.</summary>
        public string Reason { get; }

        /// <summary>What to do by hand (the finding's recommendation).</summary>
        public string Recommendation { get; }

        /// <summary>The finding as it was piped in.</summary>
        public Finding Finding { get; }

        public override string ToString() => $"{ClusterIdentifier} {CheckId} Skipped: {Reason}";
    }
}
