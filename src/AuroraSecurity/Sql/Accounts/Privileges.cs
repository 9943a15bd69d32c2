using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>The static privileges of MySQL 5.7 and 8.0 (and Aurora's own), which are the only names GRANT and REVOKE get.</summary>
    public static class Privileges
    {
        private static readonly string[] GlobalOnly =
        {
            "CREATE ROLE", "CREATE TABLESPACE", "CREATE USER", "DROP ROLE", "FILE", "PROCESS", "RELOAD",
            "REPLICATION CLIENT", "REPLICATION SLAVE", "SHOW DATABASES", "SHUTDOWN", "SUPER",
            "LOAD FROM S3", "SELECT INTO S3", "INVOKE LAMBDA", "INVOKE SAGEMAKER", "INVOKE COMPREHEND",
        };

        private static readonly string[] DatabaseLevel =
        {
            "ALL PRIVILEGES", "ALTER", "ALTER ROUTINE", "CREATE", "CREATE ROUTINE", "CREATE TEMPORARY TABLES", "CREATE VIEW",
            "DELETE", "DROP", "EVENT", "EXECUTE", "GRANT OPTION", "INDEX", "INSERT", "LOCK TABLES", "REFERENCES",
            "SELECT", "SHOW VIEW", "TRIGGER", "UPDATE", "USAGE",
        };

        private static readonly HashSet<string> TableLevel = new HashSet<string>(StringComparer.Ordinal)
        {
            "ALL PRIVILEGES", "ALTER", "CREATE", "CREATE VIEW", "DELETE", "DROP", "GRANT OPTION", "INDEX", "INSERT",
            "REFERENCES", "SELECT", "SHOW VIEW", "TRIGGER", "UPDATE", "USAGE",
        };

        private static readonly HashSet<string> GlobalOnlySet = new HashSet<string>(GlobalOnly, StringComparer.Ordinal);

        private static readonly HashSet<string> All = new HashSet<string>(GlobalOnly.Concat(DatabaseLevel), StringComparer.Ordinal);

        private static readonly Regex Spaces = new Regex(@"[\s_]+", RegexOptions.CultureInvariant);

        /// <summary>Every privilege name accepted, in canonical spelling.</summary>
        public static IReadOnlyCollection<string> Names => All;

        /// <summary>
        /// The canonical spelling of each privilege ("select" → "SELECT", "all" → "ALL PRIVILEGES", "replication_client"
        /// → "REPLICATION CLIENT"), checked against the level; throws an InvalidArgument failure naming what is wrong.
        /// </summary>
        public static IReadOnlyList<string> Normalize(IEnumerable<string> privileges, PrivilegeLevel level)
        {
            var result = new List<string>();
            foreach (var raw in privileges ?? Array.Empty<string>())
            {
                var name = Spaces.Replace((raw ?? string.Empty).Trim(), " ").ToUpperInvariant();
                if (name == "ALL")
                {
                    name = "ALL PRIVILEGES";
                }

                if (!All.Contains(name))
                {
                    throw new AuroraSecurityException(
                        "PrivilegeUnknown",
                        FailureKind.InvalidArgument,
                        $"'{raw}' is not a MySQL 5.7/8.0 static privilege. Use one of: {string.Join(", ", All.OrderBy(n => n, StringComparer.Ordinal))}. No SQL was sent.");
                }

                if (!level.IsGlobal && GlobalOnlySet.Contains(name))
                {
                    throw new AuroraSecurityException(
                        "PrivilegeNeedsGlobalLevel",
                        FailureKind.InvalidArgument,
                        $"{name} is a global privilege: grant it on *.*, not on {level}. No SQL was sent.");
                }

                if (level.Table != null && !TableLevel.Contains(name))
                {
                    throw new AuroraSecurityException(
                        "PrivilegeNotForTables",
                        FailureKind.InvalidArgument,
                        $"{name} cannot be granted on a table ({level}); grant it on the database ({SqlQuoting.Default.Identifier(level.Database!)}.*) or globally. No SQL was sent.");
                }

                if (!result.Contains(name))
                {
                    result.Add(name);
                }
            }

            if (result.Count == 0)
            {
                throw new AuroraSecurityException("PrivilegeMissing", FailureKind.InvalidArgument, "Name at least one privilege (-Privilege SELECT, INSERT). No SQL was sent.");
            }

            return result;
        }
    }
}
