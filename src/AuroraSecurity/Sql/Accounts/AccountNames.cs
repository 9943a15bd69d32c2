using System;
using AuroraSecurity.Engine;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>Aurora MySQL's rules for user names and host patterns, enforced before any SQL is sent.</summary>
    public static class AccountNames
    {
        /// <summary>The longest user name Aurora MySQL accepts for a MySQL compatibility (MySQL 5.6 → 16, otherwise 32).</summary>
        public static int MaxUserLength(MySqlCompatibility mySqlCompatibility) => mySqlCompatibility == MySqlCompatibility.MySql56 ? 16 : 32;

        /// <summary>The longest host pattern: 255 from MySQL 8.0, 60 before.</summary>
        public static int MaxHostLength(MySqlCompatibility mySqlCompatibility) => mySqlCompatibility == MySqlCompatibility.MySql80 ? 255 : 60;

        /// <summary>Throws an <see cref="AuroraSecurityException"/> naming the rule when the account cannot exist on Aurora MySQL.</summary>
        public static void Validate(string? user, string? host, MySqlCompatibility mySqlCompatibility)
        {
            ValidateUser(user, mySqlCompatibility);
            ValidateHost(host, mySqlCompatibility);
        }

        /// <summary>Checks a user name.</summary>
        public static void ValidateUser(string? user, MySqlCompatibility mySqlCompatibility)
        {
            if (string.IsNullOrEmpty(user))
            {
                throw Invalid("AccountUserEmpty", "A user name is required; anonymous accounts ('') are not managed by this module. No SQL was sent.");
            }

            var shown = Show(user!);
            if (user!.IndexOf('\0') >= 0)
            {
                throw InvalidCharacter($"The user name {shown} contains the NUL character, which MySQL cannot store. No SQL was sent.");
            }

            for (var i = 0; i < user.Length; i++)
            {
                // mysql.user keeps names in utf8mb3: a character outside the Basic Multilingual Plane would be stored as '?'.
                if (char.IsSurrogate(user[i]))
                {
                    throw InvalidCharacter(
                        $"The user name {shown} contains a character outside the Basic Multilingual Plane (an emoji or similar); Aurora MySQL stores user names as utf8mb3 and cannot keep it. No SQL was sent.");
                }
            }

            if (user[user.Length - 1] == ' ')
            {
                throw Invalid("AccountUserTrailingSpace", $"The user name {shown} ends with a space; the server drops trailing spaces, so the account would get another name. No SQL was sent.");
            }

            var max = MaxUserLength(mySqlCompatibility);
            if (user.Length > max)
            {
                throw Invalid("AccountUserTooLong", $"The user name {shown} has {user.Length} characters; Aurora MySQL (MySQL {mySqlCompatibility.ToVersionText()}) allows at most {max}. No SQL was sent.");
            }
        }

        /// <summary>Checks a host pattern.</summary>
        public static void ValidateHost(string? host, MySqlCompatibility mySqlCompatibility)
        {
            if (string.IsNullOrEmpty(host))
            {
                throw Invalid("AccountHostEmpty", "A host is required: use '%' for any host. No SQL was sent.");
            }

            var shown = Show(host!);
            foreach (var c in host!)
            {
                // MySQL 8.0 keeps hosts as ASCII; names and addresses never need more.
                if (c < 0x20 || c > 0x7E)
                {
                    throw Invalid("AccountHostInvalidCharacter", $"The host {shown} contains a character that is not printable ASCII; host names, addresses and patterns such as '%' or '10.0.%' are ASCII. No SQL was sent.");
                }
            }

            if (host[host.Length - 1] == ' ')
            {
                throw Invalid("AccountHostTrailingSpace", $"The host {shown} ends with a space, which the server would drop. No SQL was sent.");
            }

            var max = MaxHostLength(mySqlCompatibility);
            if (host.Length > max)
            {
                throw Invalid("AccountHostTooLong", $"The host has {host.Length} characters; Aurora MySQL (MySQL {mySqlCompatibility.ToVersionText()}) allows at most {max}. No SQL was sent.");
            }
        }

        /// <summary>
        /// The host as the server stores it: MySQL and MariaDB lower-case the host part of an account, so statements and
        /// look-ups use that spelling too. Call after <see cref="ValidateHost"/> (hosts are ASCII).
        /// </summary>
        public static string NormalizeHost(string host) => host.ToLowerInvariant();

        // Error messages show names with control characters made visible and long names shortened, so they stay readable.
        internal static string Show(string value)
        {
            var builder = new System.Text.StringBuilder("'");
            var limit = Math.Min(value.Length, 40);
            for (var i = 0; i < limit; i++)
            {
                var c = value[i];
                if (char.IsControl(c))
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            if (value.Length > limit)
            {
                builder.Append("…");
            }

            return builder.Append('\'').ToString();
        }

        private static AuroraSecurityException InvalidCharacter(string message) => Invalid("AccountUserInvalidCharacter", message);

        private static AuroraSecurityException Invalid(string id, string message) => new AuroraSecurityException(id, FailureKind.InvalidArgument, message);
    }
}
