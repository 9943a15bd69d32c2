using System;
using System.Linq;

namespace AuroraSecurity.Clusters
{
    /// <summary>RDS's naming rules for a DB cluster parameter group we create, checked before any request.</summary>
    public static class ParameterGroupNameRules
    {
        public const int MaxLength = 255;

        /// <summary>Why <paramref name="name"/> cannot name a new DB cluster parameter group, or null when it can.</summary>
        public static string? Problem(string? name)
        {
            if (string.IsNullOrEmpty(name)) return "it is empty";
            var text = name!;
            if (text.Length > MaxLength) return "it is " + text.Length + " characters long; RDS allows at most " + MaxLength;
            if (!IsAsciiLetter(text[0])) return "it must begin with a letter";
            if (text.Any(c => !IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-')) return "it may contain only letters, digits and hyphens";
            if (text.EndsWith("-", StringComparison.Ordinal)) return "it must not end with a hyphen";
            if (text.Contains("--")) return "it must not contain two hyphens in a row";
            if (text.StartsWith("default", StringComparison.OrdinalIgnoreCase)) return "names beginning with 'default' are reserved by RDS";
            return null;
        }

        /// <summary>Throws an InvalidArgument failure that quotes the name (shortened) and the rule it breaks.</summary>
        public static void Validate(string? name)
        {
            var problem = Problem(name);
            if (problem == null) return;
            throw new AuroraSecurityException("ParameterGroupNameInvalid", FailureKind.InvalidArgument,
                $"'{EchoedInput.Shorten(name)}' cannot name a DB cluster parameter group: {problem}. RDS names are 1 to {MaxLength} letters, digits and hyphens, " +
                "begin with a letter, and neither end with a hyphen nor contain two in a row (for example orders-aurora-mysql80). Nothing was sent.");
        }

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
