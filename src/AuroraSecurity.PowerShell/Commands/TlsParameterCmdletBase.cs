using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for cmdlets that set one TLS parameter in a cluster parameter group, by cluster or by group name.</summary>
    public abstract class TlsParameterCmdletBase : ClusterChangeCmdletBase
    {
        protected const string GroupSet = "ParameterGroup";
        private TlsParameterChange? _change;

        /// <summary>A custom DB cluster parameter group to change directly (every cluster that uses it is reached).</summary>
        [Parameter(Mandatory = true, ParameterSetName = GroupSet)]
        [ValidateNotNullOrEmpty]
        public string? ParameterGroupName { get; set; }

        /// <summary>When the cluster uses a default group: create a custom group, copy the user-set values, change it and attach it.</summary>
        [Parameter(ParameterSetName = ClusterSet)]
        public SwitchParameter CreateCustomGroup { get; set; }

        /// <summary>The name of the group -CreateCustomGroup creates (default: cluster-family, e.g. inventory-aurora-mysql80).</summary>
        [Parameter(ParameterSetName = ClusterSet)]
        [ValidateNotNullOrEmpty]
        public string? NewParameterGroupName { get; set; }

        /// <summary>The wanted value; an ArgumentException here is a bad argument and stops the cmdlet.</summary>
        protected abstract TlsParameterChange CreateChange();

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (NewParameterGroupName != null && !CreateCustomGroup)
            {
                ThrowFailure(new ArgumentException("-NewParameterGroupName names the group -CreateCustomGroup creates; add -CreateCustomGroup."), EchoedInput.Shorten(NewParameterGroupName));
            }

            if (NewParameterGroupName != null)
            {
                try
                {
                    ParameterGroupNameRules.Validate(NewParameterGroupName);
                }
                catch (System.Exception e) when (IsFailure(e))
                {
                    ThrowFailure(e, EchoedInput.Shorten(NewParameterGroupName));
                }
            }

            try
            {
                _change = CreateChange();
            }
            catch (System.Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName != GroupSet)
            {
                base.ProcessRecord();
                return;
            }

            var group = ParameterGroupName!;
            Enqueue(() => Await(ct => Changer.PlanForGroupAsync(group, _change!, ct)), group);
        }

        /// <inheritdoc />
        protected override Task<ClusterChangePlan> PlanForClusterAsync(AuroraCluster cluster, CancellationToken cancellationToken) =>
            Changer.PlanForClusterAsync(cluster, _change!, CreateCustomGroup, NewParameterGroupName, cancellationToken);
    }
}
