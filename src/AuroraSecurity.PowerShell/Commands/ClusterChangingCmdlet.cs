using System;
using System.Collections.Generic;
using System.Management.Automation;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>
    /// Base for cmdlets that change clusters' security through plans (the change cmdlets and Repair-AuroraSecurityFinding):
    /// -Force and the one path from a plan to a result: confirm, apply, read back.
    /// </summary>
    public abstract class ClusterChangingCmdlet : AwsCmdletBase
    {
        /// <summary>The type name the format file's change view is selected by.</summary>
        public const string ChangeViewTypeName = "AuroraSecurity.Clusters.AuroraTlsConfig#Change";

        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Makes the changes without asking (unless -Confirm is given), also those that reach clusters not named or move a cluster to a new group; -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Whether a cluster is written once per invocation: a change cmdlet's plans for clusters sharing a group read back the
        /// same state. Repairs write each read-back, since a later step changes the cluster further.
        /// </summary>
        protected virtual bool WritesEachClusterOnce => true;

        /// <summary>The warning given after a change for each cluster it reached, or null for none (for changes that lock clients out or lower security).</summary>
        protected virtual string? WarningAfterChange(ClusterChangePlan plan, AuroraTlsConfig result) => null;

        /// <summary>How a change is put to the user: why it is made (added to the ShouldProcess text) and the captions of both questions.</summary>
        protected sealed class ChangeWording
        {
            /// <summary>Why the change is made, as "(…)" after the action; none when null.</summary>
            public string? Why { get; set; }

            /// <summary>The caption of the ShouldProcess question.</summary>
            public string Caption { get; set; } = "Change the TLS posture of Aurora MySQL clusters";

            /// <summary>The caption of the second question, for a change that reaches beyond what was named.</summary>
            public string BeyondCaption { get; set; } = "The change reaches beyond the cluster named";

            /// <summary>Says what a failure to apply is about (before its message); the failure as the core wrote it when null.</summary>
            public string? About { get; set; }
        }

        /// <summary>
        /// Confirms, applies and reports one plan: nothing is sent for an unchanged value or under -WhatIf; the result is read
        /// back from RDS (Applied only when in effect). Returns what happened, or null when it was declined or failed (the
        /// failure is written); a change that was sent counts as Applied even when reading it back then failed.
        /// </summary>
        protected ChangeOutcome? ExecuteChange(ClusterSecurityChanger changer, ClusterChangePlan plan, object? target, ChangeWording wording)
        {
            if (plan.IsUnchanged)
            {
                WriteVerbose($"{plan.Target}: already in place, nothing sent ({plan.Action}).");
                return WriteChangeResults(changer, plan, ChangeOutcome.Unchanged, target, null) ? ChangeOutcome.Unchanged : (ChangeOutcome?)null;
            }

            // A change that reaches clusters not named, or moves a cluster to a new group, is asked about once more unless -Force.
            string? question = null;
            if (plan.ReachesOtherClusters || plan.CreatesParameterGroup)
            {
                question = plan.CreatesParameterGroup
                    ? $"{plan.Action} Continue?"
                    : $"This changes every cluster that uses the group: {string.Join(", ", plan.Clusters)}. Continue?";
            }

            var why = wording.Why == null ? string.Empty : $" ({wording.Why})";
            var confirmed = ConfirmUnlessForced(Force, plan.Target, plan.Action, target, $"{plan.Target}: {plan.Action}{why}.",
                wording.Caption, question, wording.BeyondCaption);
            if (confirmed != ConfirmOutcome.Proceed)
            {
                if (confirmed != ConfirmOutcome.WhatIf) return null;
                WriteChangeResults(changer, plan, ChangeOutcome.WhatIf, target, null);
                return ChangeOutcome.WhatIf;
            }

            // From here until the results are written nothing may prompt: a change that was made is always reported.
            string sent;
            try
            {
                sent = Await(ct => changer.ApplyAsync(plan, ct));
            }
            catch (Exception e) when (IsFailure(e) && wording.About != null && e is AuroraSecurityException failure)
            {
                WriteFailure(new AuroraSecurityException(failure.ErrorId, failure.Kind, $"{wording.About}: {failure.Message}", failure), target);
                return null;
            }
            catch (Exception e) when (IsFailure(e))
            {
                WriteFailure(e, target);
                return null;
            }

            return WriteChangeResults(changer, plan, ChangeOutcome.Applied, target, sent) ? ChangeOutcome.Applied : (ChangeOutcome?)null;
        }

        // The same type as Get-AuroraTlsConfig writes, shown with its Change column first.
        private static PSObject WithChangeView(AuroraTlsConfig config)
        {
            var wrapped = PSObject.AsPSObject(config);
            wrapped.TypeNames.Insert(0, ChangeViewTypeName);
            return wrapped;
        }

        // False when nothing could be read back for a change that was not sent (the failure is written).
        private bool WriteChangeResults(ClusterSecurityChanger changer, ClusterChangePlan plan, ChangeOutcome outcome, object? target, string? sent)
        {
            IReadOnlyList<ClusterOutcome<AuroraTlsConfig>> results;
            try
            {
                results = Await(ct => changer.ReadBackAsync(plan, outcome, ct, sent));
            }
            catch (Exception e) when (IsFailure(e))
            {
                WriteFailure(outcome == ChangeOutcome.Applied && e is AuroraSecurityException failure
                    ? new AuroraSecurityException(failure.ErrorId, failure.Kind, $"Sent: {sent}. RDS accepted the request; reading the result back then failed: {failure.Message}", failure)
                    : e, target);
                return outcome == ChangeOutcome.Applied;
            }

            if (results.Count == 0) WriteVerbose($"No cluster uses {plan.ParameterGroupName}; there is nothing to report beyond the group.");
            var warnings = new List<string>();
            foreach (var result in results)
            {
                if (WritesEachClusterOnce && !_written.Add(result.Identifier ?? string.Empty)) continue;
                if (result.Succeeded)
                {
                    WriteObject(WithChangeView(result.Value!));
                    if (outcome == ChangeOutcome.Applied)
                    {
                        var warning = WarningAfterChange(plan, result.Value!);
                        if (warning != null) warnings.Add(warning);
                    }
                }
                else
                {
                    WriteFailure(result.Error!, result.Identifier ?? target);
                }
            }

            // Warnings come after every result: under -Debug a host may turn a warning into a prompt, and a host that
            // cannot prompt must not lose a result of a change that was made.
            foreach (var warning in warnings) SafeWarning(warning);
            return true;
        }

        /// <summary>
        /// Writes a warning after a change. Where the warning would have to prompt (-Debug makes a compiled cmdlet's warnings
        /// Inquire, as does -WarningAction Inquire), a host that cannot prompt would abort the pipeline after the change was made;
        /// such a warning is written to the host directly instead, and to the debug stream, so it is seen and nothing stops.
        /// </summary>
        protected void SafeWarning(string text)
        {
            if (!WarningWouldPrompt())
            {
                WriteWarning(text);
                return;
            }

            try
            {
                Host.UI.WriteWarningLine(text);
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                // A host without a UI: the debug stream still carries it.
            }

            WriteDebug("WARNING: " + text);
        }

        private bool WarningWouldPrompt()
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.TryGetValue("WarningAction", out var action)) return IsInquire(action);
            if (bound.TryGetValue("Debug", out var debug) && (debug is SwitchParameter s ? s.IsPresent : debug is bool b && b)) return true;
            return IsInquire(SessionState.PSVariable.GetValue("WarningPreference"));
        }

        private static bool IsInquire(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value is ActionPreference preference ? preference == ActionPreference.Inquire
                : string.Equals(value?.ToString(), nameof(ActionPreference.Inquire), StringComparison.OrdinalIgnoreCase);
        }
    }
}
