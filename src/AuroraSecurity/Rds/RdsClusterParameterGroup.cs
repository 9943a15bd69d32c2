namespace AuroraSecurity.Rds
{
    /// <summary>A DB cluster parameter group.</summary>
    public sealed class RdsClusterParameterGroup
    {
        public string DBClusterParameterGroupName { get; set; } = string.Empty;
        public string? DBParameterGroupFamily { get; set; }
        public string? Description { get; set; }
        public string? DBClusterParameterGroupArn { get; set; }

        public override string ToString() => DBClusterParameterGroupName;
    }
}
