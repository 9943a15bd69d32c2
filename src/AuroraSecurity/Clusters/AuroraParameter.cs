using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>A cluster parameter of a parameter group family (its engine default) or of a group.</summary>
    public sealed class AuroraParameter
    {
        public string? Family { get; set; }

        public string ParameterName { get; set; } = string.Empty;

        public string? ParameterValue { get; set; }

        /// <summary>engine-default, system or user.</summary>
        public string? Source { get; set; }

        /// <summary>static (applied at the next reboot) or dynamic.</summary>
        public string? ApplyType { get; set; }

        public string? DataType { get; set; }

        public string? AllowedValues { get; set; }

        /// <summary>Null when RDS left it out (unknown).</summary>
        public bool? IsModifiable { get; set; }

        public string? MinimumEngineVersion { get; set; }

        public string? Description { get; set; }

        public static AuroraParameter FromRds(RdsParameter parameter, string? family) => new AuroraParameter
        {
            Family = family,
            ParameterName = parameter.ParameterName,
            ParameterValue = parameter.ParameterValue,
            Source = parameter.Source,
            ApplyType = parameter.ApplyType,
            DataType = parameter.DataType,
            AllowedValues = parameter.AllowedValues,
            IsModifiable = parameter.IsModifiable,
            MinimumEngineVersion = parameter.MinimumEngineVersion,
            Description = parameter.Description,
        };

        public override string ToString() => ParameterName + "=" + ParameterValue;
    }
}
