using System;
using System.Collections.Generic;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Repair
{
    /// <summary>What Repair-AuroraSecurityFinding does for a failed check.</summary>
    public enum FindingFix
    {
        /// <summary>require_secure_transport ON in the cluster parameter group.</summary>
        RequireSecureTransport,

        /// <summary>tls_version TLSv1.2 on Aurora MySQL 2; on Aurora MySQL 3 the TLS 1.2 ciphers in ssl_cipher.</summary>
        TlsVersion,

        /// <summary>ssl_cipher: the baseline's allowed ciphers, or the strongest set the engine version supports.</summary>
        SslCipher,

        /// <summary>IAM database authentication on (ModifyDBCluster).</summary>
        IamAuthentication,

        /// <summary>A custom cluster parameter group created from the default one and attached.</summary>
        CustomParameterGroup,

        /// <summary>REQUIRE SSL for the accounts that lack it (needs a database login).</summary>
        AccountsRequireTls,
    }

    /// <summary>Which checks have an automatic fix. Any other check id, including ids this version does not know, has none.</summary>
    public static class FindingFixes
    {
        private static readonly Dictionary<string, FindingFix> Fixes = new Dictionary<string, FindingFix>(StringComparer.OrdinalIgnoreCase)
        {
            [SecurityCheckCatalog.RequireSecureTransport] = FindingFix.RequireSecureTransport,
            [SecurityCheckCatalog.TlsVersion] = FindingFix.TlsVersion,
            [SecurityCheckCatalog.CipherSupport] = FindingFix.SslCipher,
            [SecurityCheckCatalog.NoDheCipher] = FindingFix.SslCipher,
            [SecurityCheckCatalog.IamAuthentication] = FindingFix.IamAuthentication,
            [SecurityCheckCatalog.CustomParameterGroup] = FindingFix.CustomParameterGroup,
            [SecurityCheckCatalog.AccountsRequireTls] = FindingFix.AccountsRequireTls,
        };

        /// <summary>The fix for a check, or null when it has none (an unknown id has none).</summary>
        public static FindingFix? For(string? checkId) =>
            checkId != null && Fixes.TryGetValue(checkId.Trim(), out var fix) ? fix : (FindingFix?)null;

        /// <summary>The check ids that have a fix.</summary>
        public static IReadOnlyCollection<string> CheckIds => Fixes.Keys;
    }
}
