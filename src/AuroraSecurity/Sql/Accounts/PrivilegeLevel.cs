using System.Text;

namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>Where a privilege applies: *.* (global), db.* (a database) or db.table; names may be `quoted`.</summary>
    public sealed class PrivilegeLevel
    {
        private PrivilegeLevel(string? database, string? table)
        {
            Database = database;
            Table = table;
        }

        /// <summary>The database, or null for *.*.</summary>
        public string? Database { get; }

        /// <summary>The table, or null for db.* and *.*.</summary>
        public string? Table { get; }

        /// <summary>True for *.*.</summary>
        public bool IsGlobal => Database == null;

        /// <summary>Parses *.*, db.*, db.table, `my.db`.`t``x`; anything else is an InvalidArgument failure.</summary>
        public static PrivilegeLevel Parse(string? text)
        {
            var input = text ?? string.Empty;
            var position = 0;
            var database = ReadPart(input, ref position, out var databaseIsStar);
            if (position >= input.Length || input[position] != '.')
            {
                throw Invalid(input);
            }

            position++;
            var table = ReadPart(input, ref position, out var tableIsStar);
            if (position != input.Length)
            {
                throw Invalid(input);
            }

            if (databaseIsStar)
            {
                if (!tableIsStar)
                {
                    throw Invalid(input);
                }

                return new PrivilegeLevel(null, null);
            }

            return new PrivilegeLevel(database, tableIsStar ? null : table);
        }

        /// <summary>The level as SQL, every name quoted as an identifier by the session's quoting.</summary>
        public string ToSql(SqlQuoting quoting)
        {
            if (IsGlobal)
            {
                return "*.*";
            }

            return quoting.Identifier(Database!) + "." + (Table == null ? "*" : quoting.Identifier(Table));
        }

        /// <inheritdoc />
        public override string ToString() => IsGlobal ? "*.*" : ToSql(SqlQuoting.Default);

        private static string ReadPart(string input, ref int position, out bool isStar)
        {
            isStar = false;
            if (position < input.Length && input[position] == '*')
            {
                position++;
                isStar = true;
                return "*";
            }

            var builder = new StringBuilder();
            if (position < input.Length && input[position] == '`')
            {
                position++;
                while (true)
                {
                    if (position >= input.Length)
                    {
                        throw Invalid(input);
                    }

                    var c = input[position++];
                    if (c == '`')
                    {
                        if (position < input.Length && input[position] == '`')
                        {
                            builder.Append('`');
                            position++;
                            continue;
                        }

                        break;
                    }

                    builder.Append(c);
                }
            }
            else
            {
                while (position < input.Length && input[position] != '.')
                {
                    var c = input[position++];
                    if (c == '`' || c == '*')
                    {
                        throw Invalid(input);
                    }

                    builder.Append(c);
                }
            }

            if (builder.Length == 0)
            {
                throw Invalid(input);
            }

            return builder.ToString();
        }

        private static AuroraSecurityException Invalid(string input) => new AuroraSecurityException(
            "PrivilegeLevelInvalid",
            FailureKind.InvalidArgument,
            $"'{input}' is not a privilege level. Use *.* (global), db.* (a database) or db.table; quote names containing dots with backticks (`my.db`.*). No SQL was sent.");
    }
}
