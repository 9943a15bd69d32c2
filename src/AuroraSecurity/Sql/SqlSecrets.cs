using System;
using System.Runtime.InteropServices;
using System.Security;

namespace AuroraSecurity.Sql
{
    /// <summary>Where a secret becomes text (only for the driver or a statement) and where it is taken out of text again.</summary>
    internal static class SqlSecrets
    {
        /// <summary>The secret's characters, for the driver or a statement only; never for a message.</summary>
        internal static string Reveal(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        /// <summary>
        /// The message with every spelling of the secret replaced, or a fixed text when a fragment would survive: server
        /// messages quote the statement near a syntax error, which could carry a password.
        /// </summary>
        internal static string Scrub(string message, string? secret)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return message;
            }

            var text = secret!;
            var result = message.Replace(text, "********");
            // The statement carried the secret as SqlQuoting wrote it, in either backslash mode.
            foreach (var form in new[] { SqlQuoting.Default.Escape(text), new SqlQuoting(noBackslashEscapes: true).Escape(text) })
            {
                result = result.Replace(form, "********");
            }

            // A fragment of the secret can survive when the server cut its quote short; drop the quote entirely then.
            return result.IndexOf(text.Substring(0, Math.Min(4, text.Length)), StringComparison.Ordinal) >= 0 && text.Length >= 4
                ? "The server rejected the statement; its text is not shown because it contains the password."
                : result;
        }
    }
}
