using System;
using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>A DB cluster snapshot as DescribeDBClusterSnapshots returns it (the members the audit uses).</summary>
    public sealed class RdsDbClusterSnapshot
    {
        public string DBClusterSnapshotIdentifier { get; set; } = string.Empty;
        public string? DBClusterIdentifier { get; set; }
        public string? DBClusterSnapshotArn { get; set; }
        public string? SnapshotType { get; set; }
        public string? Engine { get; set; }
        public string? Status { get; set; }
        public DateTime? SnapshotCreateTime { get; set; }

        /// <summary>Null when RDS left the field out (unknown).</summary>
        public bool? StorageEncrypted { get; set; }

        public override string ToString() => DBClusterSnapshotIdentifier;
    }

    /// <summary>One attribute of a manual cluster snapshot: "restore" lists the accounts that may copy or restore it ("all" means everyone).</summary>
    public sealed class RdsSnapshotAttribute
    {
        public const string Restore = "restore";
        public const string Everyone = "all";

        public string AttributeName { get; set; } = string.Empty;
        public IReadOnlyList<string> AttributeValues { get; set; } = new string[0];

        public override string ToString() => AttributeName + "=" + string.Join(",", AttributeValues);
    }
}
