using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>The base of every AuroraSecurity cmdlet: cancellation on Ctrl+C and one way to turn failures into error records.</summary>
    public abstract class AuroraCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <summary>Waits for domain work on the pipeline thread; a stop request surfaces as PipelineStoppedException.</summary>
        protected T Await<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Waits for domain work on the pipeline thread; a stop request surfaces as PipelineStoppedException.</summary>
        protected void Await(Task task)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Starts domain work with the cmdlet's cancellation and waits for it.</summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> work) => Await(work(CancellationToken));

        /// <summary>Starts domain work with the cmdlet's cancellation and waits for it.</summary>
        protected void Await(Func<CancellationToken, Task> work) => Await(work(CancellationToken));

        /// <summary>A file path as the user typed it (relative to the current PowerShell location), as a full file-system path.</summary>
        protected string? ResolveFilePath(string? path) => path == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>
        /// Whether a caught exception is a failure for this cmdlet to report: everything the core throws. PowerShell's own
        /// exceptions (a stopped pipeline, -ErrorAction Stop, a terminating error already thrown) pass through untouched.
        /// Every cmdlet catches with <c>catch (Exception e) when (IsFailure(e))</c> and reports with WriteFailure or ThrowFailure.
        /// </summary>
        protected static bool IsFailure(Exception error) => !(error is RuntimeException);

        /// <summary>Reports a failure tied to one input object and carries on with the next.</summary>
        protected void WriteFailure(Exception error, object? target) => WriteError(WithAdvice(ToErrorRecord(error, target)));

        /// <summary>Stops the cmdlet: nothing more can be done.</summary>
        protected void ThrowFailure(Exception error, object? target) => ThrowTerminatingError(WithAdvice(ToErrorRecord(error, target)));

        /// <summary>
        /// A failure's advice about parameters only some cmdlets have (<see cref="AuroraSecurityException.ParameterAdvice"/>)
        /// joins the message shown when this cmdlet has the parameter; the exception's own message stays as the core wrote it.
        /// </summary>
        private ErrorRecord WithAdvice(ErrorRecord record)
        {
            if (!(record.Exception is AuroraSecurityException aurora) || aurora.ParameterAdvice.Count == 0) return record;
            var parameters = MyInvocation.MyCommand?.Parameters;
            var shown = aurora.ParameterAdvice.Where(a => parameters != null && parameters.ContainsKey(a.Key)).Select(a => a.Value).ToList();
            if (shown.Count > 0) record.ErrorDetails = new ErrorDetails(aurora.Message + " " + string.Join(" ", shown));
            return record;
        }

        /// <summary>
        /// The one place a failure becomes an error record: the error id of an <see cref="AuroraSecurityException"/> (so
        /// FullyQualifiedErrorId is "&lt;ErrorId&gt;,&lt;cmdlet class&gt;") and the category of its kind.
        /// </summary>
        protected static ErrorRecord ToErrorRecord(Exception error, object? target)
        {
            if (error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                error = aggregate.InnerExceptions[0];
            }

            switch (error)
            {
                case AuroraSecurityException aurora:
                    return new ErrorRecord(aurora, aurora.ErrorId, CategoryOf(aurora.Kind), target);
                case OperationCanceledException _:
                    return new ErrorRecord(error, "OperationStopped", ErrorCategory.OperationStopped, target);
                case ArgumentException _:
                case FormatException _:
                    return new ErrorRecord(error, "InvalidArgument", ErrorCategory.InvalidArgument, target);
                default:
                    return new ErrorRecord(error, "UnexpectedFailure", ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>Whether -WhatIf is in force, from the parameter or $WhatIfPreference.</summary>
        protected bool WhatIfRequested
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

        private bool DebugRequested =>
            MyInvocation.BoundParameters.TryGetValue("Debug", out var bound) && (bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound));

        private bool ConfirmRequested =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var bound) && (bound is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(bound));

        /// <summary>
        /// The one confirmation pattern of every cmdlet that changes something. First ShouldProcess for the change
        /// (<paramref name="description"/> with <paramref name="caption"/> when given, else <paramref name="target"/> and
        /// <paramref name="action"/>); then, when <paramref name="question"/> is given, ShouldContinue asks it as well
        /// (under <paramref name="questionCaption"/>), for changes that need an "are you sure" beyond the cmdlet's impact.
        /// -WhatIf always holds. -Force goes ahead without either question unless -Confirm was given explicitly, and says
        /// what ShouldProcess would have said on the verbose stream (the debug stream under -Debug). A host that cannot
        /// ask (pwsh -NonInteractive, a job, a runbook) gets one ConfirmationNeeded error for <paramref name="errorTarget"/>
        /// that says to add -Force, for this change only, instead of PowerShell's NonInteractive failure of the pipeline.
        /// </summary>
        protected ConfirmOutcome ConfirmUnlessForced(
            bool force,
            string target,
            string action,
            object? errorTarget,
            string? description = null,
            string? caption = null,
            string? question = null,
            string? questionCaption = null)
        {
            var what = description?.TrimEnd('.') ?? $"{target}: {action}";
            bool Ask() => description == null
                ? ShouldProcess(target, action)
                : ShouldProcess(description, what + "?", caption ?? "Confirm");

            if (force && !ConfirmRequested)
            {
                if (WhatIfRequested)
                {
                    Ask();
                    return ConfirmOutcome.WhatIf;
                }

                // What ShouldProcess would have said under -Verbose. Under -Debug a compiled cmdlet's ShouldProcess asks
                // "Continue?", which a host that cannot prompt turns into a failure before the change: say it on the debug stream.
                var said = description ?? $"Performing the operation \"{action}\" on target \"{target}\".";
                if (DebugRequested) WriteDebug(said);
                else WriteVerbose(said);
                return ConfirmOutcome.Proceed;
            }

            try
            {
                if (!Ask())
                {
                    return WhatIfRequested ? ConfirmOutcome.WhatIf : ConfirmOutcome.Declined;
                }

                if (question != null && !force)
                {
                    what += questionCaption == null ? string.Empty : $" ({questionCaption.TrimEnd('.')})";
                    return ShouldContinue(question, questionCaption ?? caption ?? "Confirm") ? ConfirmOutcome.Proceed : ConfirmOutcome.Declined;
                }

                return ConfirmOutcome.Proceed;
            }
            catch (Exception error) when (error is PSInvalidOperationException || error is System.Management.Automation.Host.HostException)
            {
                WriteFailure(new AuroraSecurityException(
                    "ConfirmationNeeded",
                    FailureKind.InvalidOperation,
                    $"{what}: this needs confirmation, which this host cannot ask for (it is not interactive); nothing was done. Add -Force to go ahead without a prompt.",
                    error), errorTarget ?? target);
                return ConfirmOutcome.CannotAsk;
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        private static ErrorCategory CategoryOf(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.NotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.ConnectionError: return ErrorCategory.ConnectionError;
                case FailureKind.SecurityError: return ErrorCategory.SecurityError;
                case FailureKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case FailureKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureKind.Cancelled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.InvalidResult;
            }
        }
    }
}
