using System.Linq;

namespace AuroraSecurity.Guide
{
    /// <summary>Quotes words for a POSIX shell and for PowerShell, only when they need it.</summary>
    internal static class ShellQuote
    {
        private const string PosixSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_-+=:,./";

        public static string Posix(string word)
        {
            if (word.Length > 0 && word.All(c => PosixSafe.IndexOf(c) >= 0)) return word;
            return "'" + word.Replace("'", "'\"'\"'") + "'";
        }

        public static string PowerShell(string word)
        {
            if (word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "_-./:\\".IndexOf(c) >= 0)) return word;
            return "'" + word.Replace("'", "''") + "'";
        }

        /// <summary>A literal for Python source: single-quoted with backslashes and quotes escaped.</summary>
        public static string Python(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

        /// <summary>A value inside a MySqlConnector connection string: quoted when it holds a separator or a quote.</summary>
        public static string ConnectionStringValue(string value)
        {
            if (value.IndexOfAny(new[] { ';', '=', '"', '\'' }) < 0 && value.Trim() == value) return value;
            return "\"" + value.Replace("\"", "\"\"") + "\"";
        }
    }
}
