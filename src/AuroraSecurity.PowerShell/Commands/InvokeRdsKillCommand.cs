using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AuroraSecurity.Sql;
using AuroraSecurity.Sql.Sessions;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Ends sessions or their statements with CALL mysql.rds_kill / mysql.rds_kill_query, one connection per batch.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "RdsKill", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(KillResult))]
    public sealed class InvokeRdsKillCommand : SqlCmdlet, IDisposable
    {
        private const string PipelineSet = "Pipeline";

        private readonly RdsKillConnections pipelineConnections = new RdsKillConnections();

        /// <summary>The ids of the sessions to end.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SessionSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ConnectSet)]
        [ValidateRange(1, long.MaxValue)]
        public long[] Id { get; set; } = Array.Empty<long>();

        /// <summary>A session written by Get-AuroraSession.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = SessionSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = ConnectSet)]
        public SessionInfo? InputObject { get; set; }

        /// <summary>Ends only the running statement (rds_kill_query); the connection stays.</summary>
        [Parameter]
        public SwitchParameter Query { get; set; }

        /// <summary>Ends the sessions without asking for confirmation.</summary>
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

            IEnumerable<Target> targets;
            try
            {
                targets = Targets(connection);
            }
            catch (System.Exception error) when (IsFailure(error))
            {
                WriteFailure(error, Id);
                return;
            }

            foreach (var target in targets)
            {
                if (CancellationToken.IsCancellationRequested)
                {
                    return;
                }

                WriteObject(Kill(connection, target));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            pipelineConnections.Dispose();
            base.EndProcessing();
        }

        /// <summary>Closes connections reopened for the batch, also when Ctrl+C stopped the pipeline before EndProcessing.</summary>
        public void Dispose() => pipelineConnections.Dispose();

        private IEnumerable<Target> Targets(AuroraSqlSession connection)
        {
            if (InputObject != null)
            {
                return new[] { new Target(InputObject.Id, InputObject.User, InputObject.Host, InputObject) };
            }

            // Without the listed rows, the user behind each id is read once per batch so reserved accounts can be refused.
            var ids = Id.Where(id => id != connection.ConnectionId).Distinct().ToList();
            var known = ids.Count == 0
                ? new Dictionary<long, SessionInfo>()
                : Await(SessionLister.LookupAsync(connection, ids, CancellationToken));
            return Id.Distinct().Select(id => known.TryGetValue(id, out var row) ? new Target(id, row.User, row.Host, null) : new Target(id, null, null, null)).ToList();
        }

        private KillResult Kill(AuroraSqlSession connection, Target target)
        {
            var listedElsewhere = ListedElsewhere(connection, target);
            var refusal = listedElsewhere ?? RdsKill.RefusalReason(connection, target.Id, target.User, target.Listed?.SourceConnectionId);
            if (refusal != null)
            {
                WriteWarning(refusal);
                return Result(target, KillOutcome.Refused, refusal);
            }

            var description = $"Session {target.Id}" + (target.User == null ? string.Empty : $" ({target.User}@{target.Host})") + $" on {connection.Endpoint}:{connection.Port}";
            var operation = Action == KillAction.Query ? "End the running statement (CALL mysql.rds_kill_query)" : "End the connection (CALL mysql.rds_kill)";
            if (WhatIfRequested)
            {
                ShouldProcess(description, operation);
                return Result(target, KillOutcome.WhatIf, "-WhatIf: nothing was sent.");
            }

            if (!Force && !ShouldProcess(description, operation))
            {
                return Result(target, KillOutcome.Declined, "Not confirmed: nothing was sent.");
            }

            WriteVerbose($"{RdsKill.StatementFor(target.Id, Action)} on {connection}.");
            var result = Await(RdsKill.KillAsync(connection, target.Id, target.User, target.Host, Action, CancellationToken));
            if (result.Result == KillOutcome.Failed)
            {
                WriteFailure(new AuroraSecurityException("RdsKillFailed", FailureKind.ServiceError, result.Reason ?? "rds_kill failed."), target.Id);
            }

            return result;
        }

        // An id only means something on the server it was listed on.
        private static string? ListedElsewhere(AuroraSqlSession connection, Target target)
        {
            var listed = target.Listed;
            if (listed == null || (string.Equals(listed.Endpoint, connection.Endpoint, StringComparison.OrdinalIgnoreCase) && listed.Port == connection.Port))
            {
                return null;
            }

            return $"Session {target.Id} was listed on {listed.Endpoint}:{listed.Port}, not on {connection.Endpoint}:{connection.Port} where the kill would run; ids differ between servers. No SQL was sent.";
        }

        private bool WhatIfRequested
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound))
                {
                    return bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound);
                }

                return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            }
        }

        private KillResult Result(Target target, KillOutcome outcome, string reason) => new KillResult(target.Id, target.User, target.Host, Action, outcome, reason);

        private sealed class Target
        {
            public Target(long id, string? user, string? host, SessionInfo? listed)
            {
                Id = id;
                User = user;
                Host = host;
                Listed = listed;
            }

            public long Id { get; }

            public string? User { get; }

            public string? Host { get; }

            public SessionInfo? Listed { get; }
        }
    }
}
