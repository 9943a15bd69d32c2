using System.Collections.Generic;
using System.Linq;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>A checked change, ready to confirm and apply: which group and clusters it reaches, what is sent, and what it means.</summary>
    public sealed class ClusterChangePlan
    {
        /// <summary>The cluster the user named; null when a parameter group was named directly.</summary>
        public string? ClusterIdentifier { get; internal set; }

        /// <summary>Every cluster the change reaches (all clusters that use the group), in identifier order.</summary>
        public IReadOnlyList<string> Clusters { get; internal set; } = new string[0];

        /// <summary>The cluster parameter group that is changed (the new one when a custom group is created).</summary>
        public string? ParameterGroupName { get; internal set; }

        /// <summary>The default group the cluster leaves when a custom group is created.</summary>
        public string? SourceParameterGroupName { get; internal set; }

        public string? ParameterGroupFamily { get; internal set; }

        /// <summary>True when a custom group is created, filled and attached to the cluster first.</summary>
        public bool CreatesParameterGroup { get; internal set; }

        /// <summary>User-set values of the old group that the new group takes over.</summary>
        public IReadOnlyList<RdsParameter> CarriedOver { get; internal set; } = new RdsParameter[0];

        /// <summary>The parameter modifications to send (empty when nothing changes).</summary>
        public IReadOnlyList<RdsParameter> Modifications { get; internal set; } = new RdsParameter[0];

        /// <summary>The IAM database authentication setting to send, when the plan is about that.</summary>
        public bool? EnableIamDatabaseAuthentication { get; internal set; }

        /// <summary>True when the value already holds: nothing is sent.</summary>
        public bool IsUnchanged { get; internal set; }

        /// <summary>True when the change reaches clusters besides the one named (a shared group).</summary>
        public bool ReachesOtherClusters { get; internal set; }

        /// <summary>The ShouldProcess target: the group or cluster and every cluster the change reaches.</summary>
        public string Target { get; internal set; } = string.Empty;

        /// <summary>The ShouldProcess action, with its consequence.</summary>
        public string Action { get; internal set; } = string.Empty;

        /// <summary>What the change means for clients and instances once it is in effect.</summary>
        public string Note { get; internal set; } = string.Empty;

        /// <summary>The requests the plan sends, in words, so that any later failure can say what went out.</summary>
        public string Sent { get; internal set; } = string.Empty;

        /// <summary>The wanted parameter value, for the read-back; null for IAM authentication plans (the first when there are several).</summary>
        internal TlsParameterChange? ParameterChange
        {
            get => ParameterChanges.FirstOrDefault();
            set => ParameterChanges = value == null ? new TlsParameterChange[0] : new[] { value };
        }

        /// <summary>Every wanted parameter value of the group, for the read-back: one ModifyDBClusterParameterGroup carries them all.</summary>
        internal IReadOnlyList<TlsParameterChange> ParameterChanges { get; set; } = new TlsParameterChange[0];

        /// <summary>The parameters the plan sets, in the order they are sent.</summary>
        public IReadOnlyList<string> ParameterNames => ParameterChanges.Select(c => c.ParameterName).ToList();

        /// <summary>The description a group created by -CreateCustomGroup carries; a group with this name, family and description is reused.</summary>
        public string? NewGroupDescription { get; internal set; }

        /// <summary>True when -CreateCustomGroup found the group it would create already there (an earlier run) and reuses it.</summary>
        public bool ReusesParameterGroup { get; internal set; }

        public override string ToString() => Action + " on " + Target;
    }
}
