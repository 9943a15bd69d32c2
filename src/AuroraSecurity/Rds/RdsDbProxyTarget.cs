namespace AuroraSecurity.Rds
{
    /// <summary>A target of an RDS Proxy: a tracked Aurora cluster (TRACKED_CLUSTER) or one of its instances (RDS_INSTANCE).</summary>
    public sealed class RdsDbProxyTarget
    {
        public const string TrackedClusterType = "TRACKED_CLUSTER";

        public string? TargetArn { get; set; }
        public string? Endpoint { get; set; }

        /// <summary>The identifier of the Aurora cluster the target belongs to.</summary>
        public string? TrackedClusterId { get; set; }

        public string? RdsResourceId { get; set; }
        public string? Type { get; set; }
        public string? Role { get; set; }

        public override string ToString() => (Type ?? "target") + " " + (TrackedClusterId ?? RdsResourceId);
    }
}
