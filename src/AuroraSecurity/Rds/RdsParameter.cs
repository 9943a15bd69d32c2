namespace AuroraSecurity.Rds
{
    /// <summary>A parameter of a (cluster) parameter group; also the input shape for modify and reset. Every member RDS may leave out is null when it did.</summary>
    public sealed class RdsParameter
    {
        public const string ApplyImmediate = "immediate";
        public const string ApplyPendingReboot = "pending-reboot";

        public RdsParameter()
        {
        }

        public RdsParameter(string parameterName, string? parameterValue, string? applyMethod = null)
        {
            ParameterName = parameterName;
            ParameterValue = parameterValue;
            ApplyMethod = applyMethod;
        }

        public string ParameterName { get; set; } = string.Empty;
        public string? ParameterValue { get; set; }
        public string? Description { get; set; }
        public string? Source { get; set; }
        public string? ApplyType { get; set; }
        public string? DataType { get; set; }
        public string? AllowedValues { get; set; }
        /// <summary>Null when RDS left the field out: unknown, never "not modifiable".</summary>
        public bool? IsModifiable { get; set; }
        public string? MinimumEngineVersion { get; set; }
        public string? ApplyMethod { get; set; }

        public override string ToString() => ParameterName + "=" + ParameterValue;
    }
}
