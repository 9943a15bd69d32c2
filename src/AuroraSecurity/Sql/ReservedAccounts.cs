using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AuroraSecurity.Sql
{
    /// <summary>The one place that knows which accounts Aurora MySQL keeps for itself, and why they are off limits.</summary>
    public static class ReservedAccounts
    {
        private static readonly Dictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rdsadmin"] = "Aurora creates 'rdsadmin' to provide management services for the DB cluster; dropping, renaming, changing the password or changing privileges of it results in an error.",
            ["rds_superuser_role"] = "Aurora MySQL version 3 creates 'rds_superuser_role' with the cluster; it carries the master user's privileges and is managed by RDS.",
            ["rdsrepladmin"] = "'rdsrepladmin' is the account RDS uses for replication; it is managed by RDS.",
            ["mysql.sys"] = "'mysql.sys' is a system account of the server itself (definer of the sys schema).",
            ["mysql.session"] = "'mysql.session' is a system account the server's plugins use internally.",
            ["mysql.infoschema"] = "'mysql.infoschema' is a system account the server's information_schema views use.",
        };

        private static readonly Regex AwsAccessRole = new Regex("^AWS_[A-Z0-9_]+_ACCESS$", RegexOptions.CultureInvariant);

        /// <summary>The fixed names, for help and audits; the AWS_*_ACCESS roles come on top.</summary>
        public static IReadOnlyCollection<string> Names => Reasons.Keys;

        /// <summary>True for an account or role that Aurora reserves.</summary>
        public static bool IsReserved(string user) => ReasonFor(user) != null;

        /// <summary>Why the account is reserved, or null when it is not.</summary>
        public static string? ReasonFor(string user)
        {
            if (user is null)
            {
                return null;
            }

            if (Reasons.TryGetValue(user, out var reason))
            {
                return reason;
            }

            return AwsAccessRole.IsMatch(user)
                ? $"'{user}' is one of the AWS_*_ACCESS roles Aurora MySQL version 3 creates to grant access to other AWS services; it is managed by RDS."
                : null;
        }

        /// <summary>Throws before any SQL is sent when the account is reserved.</summary>
        public static void EnsureNotReserved(string user, string action)
        {
            var reason = ReasonFor(user);
            if (reason != null)
            {
                throw new AuroraSecurityException(
                    "ReservedAccount",
                    FailureKind.InvalidOperation,
                    $"Refusing to {action} '{user}': {reason} No SQL was sent.");
            }
        }
    }
}
