using System.Collections.Generic;

namespace AuroraSecurity.Guide
{
    /// <summary>What the reader of the guide wants it written for.</summary>
    public sealed class ConnectionGuideOptions
    {
        /// <summary>The placeholder written when no user name is given.</summary>
        public const string UserPlaceholder = "<user>";

        /// <summary>The database user; null writes <see cref="UserPlaceholder"/>.</summary>
        public string? DbUser { get; set; }

        /// <summary>Log in with an IAM token instead of a password.</summary>
        public bool IamAuthentication { get; set; }

        /// <summary>The CA bundle path the clients should name; null writes the bundle's file name.</summary>
        public string? SslCa { get; set; }

        /// <summary>The default database; null for none.</summary>
        public string? Database { get; set; }

        /// <summary>The clients to write for (names from <see cref="ConnectionGuideWriter.Clients"/>); null or empty for all.</summary>
        public IReadOnlyList<string>? Clients { get; set; }
    }
}
