using System;
using System.Collections.Generic;

namespace AuroraSecurity.Secrets
{
    /// <summary>
    /// A GetSecretValue answer. The SecretString lives only in a character buffer that <see cref="Dispose"/> clears; nothing of this
    /// object prints it.
    /// </summary>
    public sealed class SecretValue : IDisposable
    {
        private char[]? _secretString;

        internal SecretValue(string? arn, string? name, string? versionId, IReadOnlyList<string> versionStages, DateTime? createdDate, char[]? secretString, bool hasSecretBinary)
        {
            Arn = arn;
            Name = name;
            VersionId = versionId;
            VersionStages = versionStages ?? Array.Empty<string>();
            CreatedDate = createdDate;
            _secretString = secretString;
            HasSecretBinary = hasSecretBinary;
        }

        public string? Arn { get; }

        public string? Name { get; }

        public string? VersionId { get; }

        /// <summary>AWSCURRENT, AWSPENDING, AWSPREVIOUS, or labels of the owner's.</summary>
        public IReadOnlyList<string> VersionStages { get; }

        public DateTime? CreatedDate { get; }

        /// <summary>Whether the answer carried a SecretString (still held: not disposed).</summary>
        public bool HasSecretString => _secretString != null;

        /// <summary>Whether the secret is binary (SecretBinary) rather than text.</summary>
        public bool HasSecretBinary { get; }

        /// <summary>The SecretString's characters, for parsing only; cleared by <see cref="Dispose"/>.</summary>
        internal char[]? SecretStringCharacters => _secretString;

        public void Dispose()
        {
            var chars = _secretString;
            _secretString = null;
            if (chars != null) Array.Clear(chars, 0, chars.Length);
        }

        public override string ToString() => "SecretValue(" + (Arn ?? Name ?? "unnamed") + ", version " + (VersionId ?? "unknown") + ", SecretString=****)";
    }
}
