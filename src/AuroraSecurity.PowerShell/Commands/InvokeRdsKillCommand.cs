using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Ends sessions or their statements with CALL mysql.rds_kill / mysql.rds_kill_query, one connection per batch.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "RdsKill", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KillResult))]
    [Alias("Stop-AuroraSession")]
    public sealed class InvokeRdsKillCommand : SqlCmdlet
    {
        private const string PipelineSet = "Pipeline";

        private readonly RdsKillConnections pipelineConnections = new RdsKillConnections();

        /// <summary>The ids of the sessions to end.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SessionSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PasswordSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IamSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ConnectionStringSet)]
        [ValidateRange(1, long.MaxValue)]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>A session written by Get-AuroraSession.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = SessionSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = PasswordSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = IamSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = ConnectionStringSet)]
        public SessionInfo? InputObject { get; set; }

        /// <summary>Ends only the running statement (rds_kill_query); the connection stays.</summary>
        [Parameter]
        public SwitchParameter Query { get; set; }

        /// <summary>Ends the sessions without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private KillAction Action => Query ? KillAction.Query : KillAction.Connection;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AuroraSqlSession connection;
            try
            {
                connection = ParameterSetName == PipelineSet
                    ? Await(pipelineConnections.ForAsync(InputObject!, CancellationToken))
                    : GetSession();
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                ThrowFailure(error, InputObject ?? (object)Id);
                return;
            }

            IReadOnlyList<KillPlan> plans;
            try
            {
                plans = InputObject != null
                    ? new[] { RdsKill.Plan(connection, InputObject, Action) }
                    : Await(RdsKill.PlanAsync(connection, Id, Action, CancellationToken));
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Id);
                return;
            }

            foreach (var plan in plans)
            {
                if (CancellationToken.IsCancellationRequested)
                {
                    return;
                }

                WriteObject(Kill(connection, plan));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            pipelineConnections.Dispose();
            base.EndProcessing();
        }

        /// <summary>Closes connections reopened for the batch, also when Ctrl+C stopped the pipeline before EndProcessing.</summary>
        protected override void DisposeOwnResources() => pipelineConnections.Dispose();

        // Plan, confirm (ShouldProcess, then ShouldContinue unless -Force), then apply.
        private KillResult Kill(AuroraSqlSession connection, KillPlan plan)
        {
            if (plan.Refusal != null)
            {
                WriteWarning(plan.Refusal);
                return plan.NotSent(KillOutcome.Refused);
            }

            // ShouldProcess, then the per-kill question, both skipped by -Force (unless -Confirm is given).
            var confirmed = ConfirmUnlessForced(Force, plan.Target, plan.Operation, plan.Id, $"{plan.Operation}: {plan.Target}.", "End sessions",
                $"{plan.Operation}: {plan.Target}?", "End sessions");
            if (confirmed != ConfirmOutcome.Proceed)
            {
                return plan.NotSent(confirmed == ConfirmOutcome.WhatIf ? KillOutcome.WhatIf : KillOutcome.Declined);
            }

            WriteVerbose($"{plan.Statement} on {connection}.");

            // Ctrl+C takes effect between kills: none is sent once stopping has begun, and one already sent is not cancelled
            // half-way, so the server's answer is known. (PowerShell accepts no output once stopping has begun.)
            if (Stopping || CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            var result = Await(RdsKill.ApplyAsync(connection, plan, System.Threading.CancellationToken.None));
            if (result.Result == KillOutcome.Failed)
            {
                WriteFailure(RdsKill.Failure(result), plan.Id);
            }

            return result;
        }
    }
}
