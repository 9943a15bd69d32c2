using System;
using System.Text;

namespace AuroraSecurity.Tests.Sql.Accounts
{
    /// <summary>
    /// Reads a logged statement back the way the server's lexer does (string literals with '' and backslash escapes),
    /// independently of SqlQuoting, so a test can say which account a statement really named.
    /// </summary>
    public static class MySqlLiteral
    {
        /// <summary>Parses "'user'@'host'" at <paramref name="position"/>; returns false when the text is not an account there.</summary>
        public static bool TryReadAccount(string text, ref int position, out string user, out string host)
        {
            host = string.Empty;
            if (!TryRead(text, ref position, out user) || position >= text.Length || text[position] != '@')
            {
                return false;
            }

            position++;
            return TryRead(text, ref position, out host);
        }

        /// <summary>Parses one single-quoted literal with MySQL's default escapes.</summary>
        public static bool TryRead(string text, ref int position, out string value)
        {
            value = string.Empty;
            if (position >= text.Length || text[position] != '\'')
            {
                return false;
            }

            var builder = new StringBuilder();
            var i = position + 1;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\'')
                {
                    if (i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        builder.Append('\'');
                        i += 2;
                        continue;
                    }

                    position = i + 1;
                    value = builder.ToString();
                    return true;
                }

                if (c == '\\' && i + 1 < text.Length)
                {
                    var next = text[i + 1];
                    switch (next)
                    {
                        case '0': builder.Append('\0'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'Z': builder.Append('\u001a'); break;
                        case '%': builder.Append("\\%"); break;
                        case '_': builder.Append("\\_"); break;
                        default: builder.Append(next); break;
                    }

                    i += 2;
                    continue;
                }

                builder.Append(c);
                i++;
            }

            return false;
        }
    }
}
