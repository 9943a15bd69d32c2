using System.Collections.Generic;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>
    /// A GRANT or REVOKE decided before anything is asked or sent: the account checked, the level parsed and the privilege
    /// names in their canonical spelling, and the one statement that carries them out.
    /// </summary>
    public sealed class PrivilegePlan
    {
        internal PrivilegePlan(bool grant, IReadOnlyList<string> privileges, PrivilegeLevel level, string user, string host, bool withGrantOption, string statement)
        {
            IsGrant = grant;
            Privileges = privileges;
            Level = level;
            User = user;
            Host = host;
            WithGrantOption = withGrantOption;
            Statement = statement;
        }

        /// <summary>True for GRANT, false for REVOKE.</summary>
        public bool IsGrant { get; }

        /// <summary>The privileges, canonical and without repeats.</summary>
        public IReadOnlyList<string> Privileges { get; }

        /// <summary>The level: *.*, db.* or db.table.</summary>
        public PrivilegeLevel Level { get; }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern, normalised.</summary>
        public string Host { get; }

        /// <summary>Whether the grant adds WITH GRANT OPTION.</summary>
        public bool WithGrantOption { get; }

        /// <summary>The statement carrying the plan out.</summary>
        internal string Statement { get; }

        /// <summary>The action, in the words ShouldProcess shows.</summary>
        public string Action => $"{(IsGrant ? "Grant" : "Revoke")} {string.Join(", ", Privileges)} on {Level}" + (WithGrantOption ? " with grant option" : string.Empty);
    }
}
