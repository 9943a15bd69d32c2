using System;
using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>An RDS DB instance as DescribeDBInstances returns it (the members this module uses).</summary>
    public sealed class RdsDbInstance
    {
        public string DBInstanceIdentifier { get; set; } = string.Empty;
        public string? DBClusterIdentifier { get; set; }
        public string? DBInstanceArn { get; set; }
        public string? DBInstanceClass { get; set; }
        public string? DBInstanceStatus { get; set; }
        public string? Engine { get; set; }
        public string? EngineVersion { get; set; }
        public string? EndpointAddress { get; set; }
        public int? EndpointPort { get; set; }
        public string? CACertificateIdentifier { get; set; }
        public DateTime? CertificateValidTill { get; set; }
        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? IAMDatabaseAuthenticationEnabled { get; set; }
        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? PubliclyAccessible { get; set; }

        /// <summary>Null when the answer left it out (unknown).</summary>
        public bool? AutoMinorVersionUpgrade { get; set; }
        public IReadOnlyList<RdsDbParameterGroupStatus> DBParameterGroups { get; set; } = new RdsDbParameterGroupStatus[0];

        public override string ToString() => DBInstanceIdentifier;
    }

    /// <summary>An instance's DB parameter group and whether its changes are applied.</summary>
    public sealed class RdsDbParameterGroupStatus
    {
        public string DBParameterGroupName { get; set; } = string.Empty;
        public string? ParameterApplyStatus { get; set; }

        public override string ToString() => DBParameterGroupName + " (" + ParameterApplyStatus + ")";
    }
}
