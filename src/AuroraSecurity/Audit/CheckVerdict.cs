namespace AuroraSecurity.Audit
{
    /// <summary>A check's outcome and reason, before it becomes a <see cref="Finding"/>; a null recommendation means the catalogue's.</summary>
    public sealed class CheckVerdict
    {
        public CheckVerdict(FindingStatus status, string reason, string? recommendation = null)
        {
            Status = status;
            Reason = reason;
            Recommendation = recommendation;
        }

        public FindingStatus Status { get; }

        public string Reason { get; }

        public string? Recommendation { get; }

        public static CheckVerdict Pass(string reason) => new CheckVerdict(FindingStatus.Pass, reason);

        public static CheckVerdict Fail(string reason, string? recommendation = null) => new CheckVerdict(FindingStatus.Fail, reason, recommendation);

        public static CheckVerdict Warning(string reason, string? recommendation = null) => new CheckVerdict(FindingStatus.Warning, reason, recommendation);

        public static CheckVerdict NotApplicable(string reason) => new CheckVerdict(FindingStatus.NotApplicable, reason);
    }
}
