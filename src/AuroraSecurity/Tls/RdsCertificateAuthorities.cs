using System;
using System.Collections.Generic;

namespace AuroraSecurity.Tls
{
    /// <summary>
    /// The RDS certificate authorities AWS has retired or is retiring, whatever the validity date an instance reports:
    /// rds-ca-2019 (expired 2024-08-22, replaced by the 2021 G1 authorities) and rds-ca-2015 before it. AWS's replacement
    /// for most clients is rds-ca-rsa2048-g1, with the global bundle on the client side.
    /// </summary>
    public static class RdsCertificateAuthorities
    {
        public const string Recommended = "rds-ca-rsa2048-g1";

        private static readonly Dictionary<string, string> Retired = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["rds-ca-2015"] = "retired by AWS (expired 2020-03-05)",
            ["rds-ca-2019"] = "retired by AWS (expired 2024-08-22; AWS moved RDS to the 2021 G1 authorities)",
        };

        /// <summary>Why AWS no longer wants this CA in use, or null for a current one.</summary>
        public static string? RetirementOf(string? caIdentifier) =>
            caIdentifier != null && Retired.TryGetValue(caIdentifier.Trim(), out var why) ? why : null;
    }
}
