using System;

namespace AuroraSecurity.Clusters
{
    /// <summary>What became of one requested cluster: a value, or the failure that a cmdlet reports for that cluster alone.</summary>
    public sealed class ClusterOutcome<T>
        where T : class
    {
        private ClusterOutcome(string identifier, T? value, AuroraSecurityException? error)
        {
            Identifier = identifier;
            Value = value;
            Error = error;
        }

        /// <summary>The cluster identifier as it was asked for (or found, when listing).</summary>
        public string Identifier { get; }

        public T? Value { get; }

        public AuroraSecurityException? Error { get; }

        public bool Succeeded => Error == null;

        public static ClusterOutcome<T> Success(string identifier, T value) =>
            new ClusterOutcome<T>(identifier, value ?? throw new ArgumentNullException(nameof(value)), null);

        public static ClusterOutcome<T> Failure(string identifier, AuroraSecurityException error) =>
            new ClusterOutcome<T>(identifier, null, error ?? throw new ArgumentNullException(nameof(error)));

        public override string ToString() => Identifier + (Succeeded ? string.Empty : ": " + Error!.Message);
    }
}
