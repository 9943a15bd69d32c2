using System.Collections.Generic;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Repair
{
    /// <summary>One change a repair sends (a parameter group's values, a new custom group, or IAM authentication) and the findings it repairs.</summary>
    public sealed class RepairStep
    {
        internal RepairStep(ClusterChangePlan plan, IReadOnlyList<Finding> findings)
        {
            Plan = plan;
            Findings = findings;
        }

        /// <summary>The checked change, as the change cmdlets plan it.</summary>
        public ClusterChangePlan Plan { get; }

        /// <summary>The findings this change repairs.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        public override string ToString() => Plan.ToString();
    }

    /// <summary>Findings whose fix could not be planned, and why (an engine rule, a default group, a cluster that is gone).</summary>
    public sealed class RepairRefusal
    {
        internal RepairRefusal(IReadOnlyList<Finding> findings, AuroraSecurityException error)
        {
            Findings = findings;
            Error = error;
        }

        public IReadOnlyList<Finding> Findings { get; }

        public AuroraSecurityException Error { get; }
    }

    /// <summary>Accounts without REQUIRE SSL on one cluster, to be fixed over SQL.</summary>
    public sealed class AccountRepair
    {
        internal AccountRepair(AuroraCluster cluster, Finding finding)
        {
            Cluster = cluster;
            Finding = finding;
        }

        public AuroraCluster Cluster { get; }

        public Finding Finding { get; }
    }

    /// <summary>Everything a repair of one region's findings will do, checked before anything is sent.</summary>
    public sealed class RepairPlan
    {
        internal RepairPlan(IReadOnlyList<RepairStep> steps, IReadOnlyList<SkippedFinding> skipped, IReadOnlyList<RepairRefusal> refused, IReadOnlyList<AccountRepair> accounts)
        {
            Steps = steps;
            Skipped = skipped;
            Refused = refused;
            Accounts = accounts;
        }

        /// <summary>The changes, one per parameter group (for every cluster that uses it) and one per cluster for IAM authentication and new groups.</summary>
        public IReadOnlyList<RepairStep> Steps { get; }

        /// <summary>Findings without an automatic fix, each with the reason and what to do by hand.</summary>
        public IReadOnlyList<SkippedFinding> Skipped { get; }

        /// <summary>Findings whose fix was refused while planning; nothing is sent for them.</summary>
        public IReadOnlyList<RepairRefusal> Refused { get; }

        /// <summary>Clusters whose accounts get REQUIRE SSL over SQL.</summary>
        public IReadOnlyList<AccountRepair> Accounts { get; }
    }
}
