using System;
using System.Collections.Generic;

namespace AuroraSecurity.Audit
{
    /// <summary>Routes the SQL and wire checks: not asked for (NotApplicable), could not be read (Error), or the rule's verdict.</summary>
    internal static class SqlAndWireRules
    {
        public static readonly IReadOnlyDictionary<string, Func<ClusterEvidence, CheckVerdict>> Rules = new Dictionary<string, Func<ClusterEvidence, CheckVerdict>>(StringComparer.Ordinal)
        {
            [SecurityCheckCatalog.AccountsRequireTls] = SqlClusterChecks.AccountsRequireTls,
            [SecurityCheckCatalog.NoAnonymousAccount] = SqlClusterChecks.NoAnonymousAccount,
            [SecurityCheckCatalog.NoPasswordAccountFromAnyHost] = SqlClusterChecks.NoPasswordAccountFromAnyHost,
            [SecurityCheckCatalog.NoExtraAdministrator] = SqlClusterChecks.NoExtraAdministrator,
            [SecurityCheckCatalog.MasterUserNotShared] = SqlClusterChecks.MasterUserNotShared,
            [SecurityCheckCatalog.ServerRequireSecureTransport] = SqlClusterChecks.ServerRequireSecureTransport,
            [SecurityCheckCatalog.ServerTlsVersion] = SqlClusterChecks.ServerTlsVersion,
            [SecurityCheckCatalog.WireOldProtocols] = WireClusterChecks.OldProtocolsRefused,
            [SecurityCheckCatalog.WireNoDhe] = WireClusterChecks.NoDheWhereEcdhe,
            [SecurityCheckCatalog.WireMatchesGroup] = WireClusterChecks.MatchesGroup,
        };

        // The drift checks compare with the group, so they need the group's TLS settings as well.
        private static readonly HashSet<string> NeedTlsConfig = new HashSet<string>(StringComparer.Ordinal)
        {
            SecurityCheckCatalog.ServerRequireSecureTransport,
            SecurityCheckCatalog.ServerTlsVersion,
            SecurityCheckCatalog.WireMatchesGroup,
        };

        /// <summary>The verdict when the evidence the check needs was not asked for or could not be read; null when the rule can run.</summary>
        public static CheckVerdict? Gap(SecurityCheck check, ClusterEvidence evidence)
        {
            string? notRequested;
            AuroraSecurityException? error;
            if (check.Evidence == CheckEvidence.Sql)
            {
                notRequested = evidence.SqlNotRequested;
                error = evidence.SqlError;
                if (notRequested == null && error == null && evidence.Sql == null) error = Unread("SQL evidence");
            }
            else if (check.Evidence == CheckEvidence.Wire)
            {
                notRequested = evidence.WireNotRequested;
                error = evidence.WireError;
                if (notRequested == null && error == null && evidence.Wire == null) error = Unread("The endpoint probe");
            }
            else
            {
                return null;
            }

            if (notRequested != null) return CheckVerdict.NotApplicable(notRequested);
            if (error == null && NeedTlsConfig.Contains(check.Id)) error = evidence.TlsConfigError;
            return error == null ? null : new CheckVerdict(FindingStatus.Error, error.Message, "Fix the cause above and run the audit again.");
        }

        private static AuroraSecurityException Unread(string what) =>
            new AuroraSecurityException("AuditEvidenceMissing", FailureKind.ServiceError, $"{what} was asked for but not read (the audit stopped before it).");
    }
}
