using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Audit
{
    /// <summary>A control of another framework that checks the same thing: FSBP (Security Hub), CIS AWS Foundations or Prowler.</summary>
    public sealed class CheckReference
    {
        public const string Fsbp = "FSBP";
        public const string Cis = "CIS";
        public const string Prowler = "Prowler";

        /// <summary>The frameworks a reference can name.</summary>
        public static IReadOnlyList<string> Frameworks { get; } = new[] { Fsbp, Cis, Prowler };

        public CheckReference(string framework, string id, string? version = null)
        {
            if (!Frameworks.Contains(framework, StringComparer.Ordinal)) throw new ArgumentException($"Unknown framework '{framework}'.", nameof(framework));
            Framework = framework;
            Id = id ?? throw new ArgumentNullException(nameof(id));
            Version = version;
        }

        /// <summary>FSBP, CIS or Prowler.</summary>
        public string Framework { get; }

        /// <summary>The control's id in that framework ("RDS.7", "2.3.2", "rds_cluster_deletion_protection").</summary>
        public string Id { get; }

        /// <summary>The framework version the id belongs to, where ids change between versions (CIS).</summary>
        public string? Version { get; }

        public static CheckReference FsbpControl(string id) => new CheckReference(Fsbp, id);

        public static CheckReference CisItem(string id, string version) => new CheckReference(Cis, id, version);

        public static CheckReference ProwlerCheck(string id) => new CheckReference(Prowler, id);

        public override string ToString() => Version == null ? $"{Framework} {Id}" : $"{Framework} {Version} {Id}";
    }
}
