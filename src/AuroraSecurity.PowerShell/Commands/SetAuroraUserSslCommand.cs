using System.Management.Automation;
using AuroraSecurity.Sql.Accounts;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Requires TLS (or X509, or nothing) for accounts: ALTER USER … REQUIRE on 5.7/8.0, GRANT USAGE … REQUIRE on 5.6.</summary>
    [Cmdlet(VerbsCommon.Set, "AuroraUserSsl", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(UserSslChange))]
    public sealed class SetAuroraUserSslCommand : SingleAccountCmdlet
    {
        /// <summary>REQUIRE SSL.</summary>
        [Parameter]
        public SwitchParameter Require { get; set; }

        /// <summary>REQUIRE X509.</summary>
        [Parameter]
        public SwitchParameter X509 { get; set; }

        /// <summary>REQUIRE NONE.</summary>
        [Parameter]
        public SwitchParameter None { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            var chosen = (Require ? 1 : 0) + (X509 ? 1 : 0) + (None ? 1 : 0);
            if (chosen != 1)
            {
                ThrowFailure(
                    new AuroraSecurityException("SslRequirementMissing", FailureKind.InvalidArgument, "Pass exactly one of -Require, -X509 or -None."),
                    null);
            }

            base.BeginProcessing();
        }

        // Worked out from the switches rather than kept in a field: a field of the engine's enum type would load the engine
        // when PowerShell lists this assembly's types at import, before the module's resolver for it is in place.
        private SslType Target => Require ? SslType.Any : X509 ? SslType.X509 : SslType.None;

        /// <summary>Makes the change without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ForAccount(User, HostName, () =>
            {
                var service = GetAccountService();
                var plan = service.PlanSslType(User, HostName, Target);
                if (!plan.NeedsChange)
                {
                    WriteVerbose($"{Describe(User, HostName)} already has {SslRequirement.Clause(Target)}; nothing to do.");
                    WriteObject(service.Apply(plan));
                    return;
                }

                if (ConfirmUnlessForced(Force, Describe(User, HostName), plan.Action, null) == ConfirmOutcome.Proceed)
                {
                    WriteObject(service.Apply(plan));
                }
            });
        }
    }
}
