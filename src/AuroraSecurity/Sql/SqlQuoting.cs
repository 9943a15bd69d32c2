using System;
using System.Text;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// The one routine that turns user input into SQL text: identifiers, account names, host patterns and string
    /// literals. Nothing else in the module puts user input into a statement.
    /// </summary>
    public sealed class SqlQuoting
    {
        /// <summary>Quoting for a server in its default mode, where backslash escapes in string literals.</summary>
        public static SqlQuoting Default { get; } = new SqlQuoting(noBackslashEscapes: false);

        /// <summary>Creates the quoting for a session; NO_BACKSLASH_ESCAPES changes how backslashes must be written.</summary>
        public SqlQuoting(bool noBackslashEscapes) => NoBackslashEscapes = noBackslashEscapes;

        /// <summary>Whether the server runs with sql_mode NO_BACKSLASH_ESCAPES.</summary>
        public bool NoBackslashEscapes { get; }

        /// <summary>A string literal: 'it''s' (and 'a\\b' unless NO_BACKSLASH_ESCAPES).</summary>
        public string Literal(string value)
        {
            if (value is null) throw new ArgumentNullException(nameof(value));
            RejectNul(value, "A string value");
            return "'" + Escape(value) + "'";
        }

        /// <summary>The inside of a string literal: what the server sees between the quotes.</summary>
        internal string Escape(string value)
        {
            var builder = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\'':
                        builder.Append("''");
                        break;
                    case '\\' when !NoBackslashEscapes:
                        builder.Append("\\\\");
                        break;
                    default:
                        builder.Append(c);
                        break;
                }
            }

            return builder.ToString();
        }

        /// <summary>An identifier (database, table, column): `na``me`.</summary>
        public string Identifier(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new AuroraSecurityException("SqlIdentifierEmpty", FailureKind.InvalidArgument, "A database or table name cannot be empty.");
            }

            RejectNul(name, "A database or table name");
            if (name.Length > 64)
            {
                throw new AuroraSecurityException("SqlIdentifierTooLong", FailureKind.InvalidArgument, $"The name '{name}' is longer than MySQL's 64 characters for databases and tables.");
            }

            if (name.EndsWith(" ", StringComparison.Ordinal))
            {
                throw new AuroraSecurityException("SqlIdentifierTrailingSpace", FailureKind.InvalidArgument, $"The name '{name}' ends with a space, which MySQL does not allow in database and table names.");
            }

            return "`" + name.Replace("`", "``") + "`";
        }

        /// <summary>An account: 'user'@'host'.</summary>
        public string Account(string user, string host) => Literal(user) + "@" + Literal(host);

        private static void RejectNul(string value, string what)
        {
            if (value.IndexOf('\0') >= 0)
            {
                throw new AuroraSecurityException("SqlNulCharacter", FailureKind.InvalidArgument, $"{what} cannot contain the NUL character.");
            }
        }
    }
}
