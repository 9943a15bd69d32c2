using System;
using System.Text;

namespace AuroraSecurity
{
    /// <summary>Cuts user input echoed in a message to a readable length and makes control characters visible.</summary>
    public static class EchoedInput
    {
        /// <summary>Characters of input a message repeats at most.</summary>
        public const int DefaultLength = 120;

        /// <summary>The text itself when short; otherwise its start, an ellipsis and how long it was.</summary>
        public static string Shorten(string? text, int maxLength = DefaultLength)
        {
            if (text == null) return string.Empty;
            if (maxLength < 8) maxLength = 8;
            var visible = new StringBuilder(Math.Min(text.Length, maxLength) + 32);
            foreach (var c in text)
            {
                if (visible.Length >= maxLength) break;
                visible.Append(char.IsControl(c) ? '?' : c);
            }

            return text.Length <= maxLength ? visible.ToString() : visible.ToString() + "... (" + text.Length + " characters)";
        }
    }
}
