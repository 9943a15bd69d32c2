using System;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>Reads credentials from an AWSCredentials-like object of any AWSSDK.Core version by reflection.</summary>
    public sealed class ReflectedCredentialSource : IAwsCredentialSource
    {
        private const int MaxUnwrapDepth = 4;
        private readonly object _source;

        public ReflectedCredentialSource(object source)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            if (!CanRead(source))
            {
                throw new ArgumentException(
                    "The credential object of type '" + source.GetType().FullName + "' is not an AWS credentials object (expected GetCredentials() or AccessKey/SecretKey members).",
                    nameof(source));
            }
        }

        public string SourceTypeName => _source.GetType().FullName ?? _source.GetType().Name;

        public Task<AwsCredentialSet> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Refreshing SDK credentials may block on a network fetch; keep it off the caller's thread.
            return Task.Run(() => Read(_source, 0), cancellationToken);
        }

        public override string ToString() => "ReflectedCredentialSource(" + SourceTypeName + ")";

        /// <summary>True when the object looks like credentials this source can read.</summary>
        public static bool CanRead(object? candidate) => Classify(candidate, 0) != Shape.None;

        internal static AwsCredentialSet Read(object candidate, int depth)
        {
            switch (Classify(candidate, depth))
            {
                case Shape.KeyPair:
                    return FromKeyMembers(candidate);
                case Shape.Provider:
                    object? immutable;
                    try
                    {
                        immutable = GetCredentialsMethod(candidate.GetType())!.Invoke(candidate, null);
                    }
                    catch (TargetInvocationException e) when (e.InnerException != null)
                    {
                        throw AwsConfigurationException.CredentialsUnavailable("the " + candidate.GetType().Name + " object", e.InnerException);
                    }

                    if (immutable == null) throw AwsConfigurationException.CredentialsUnavailable("the " + candidate.GetType().Name + " object (it returned none)", null);
                    return Read(immutable, depth + 1);
                case Shape.Wrapper:
                    return Read(GetProperty(candidate, "Credentials")!, depth + 1);
                default:
                    throw new InvalidOperationException("The object of type '" + candidate.GetType().FullName + "' does not carry AWS credentials.");
            }
        }

        private enum Shape { None, KeyPair, Provider, Wrapper }

        private static Shape Classify(object? candidate, int depth)
        {
            if (candidate == null || depth > MaxUnwrapDepth) return Shape.None;
            var type = candidate.GetType();
            if (HasStringProperty(type, "AccessKey") && HasStringProperty(type, "SecretKey")) return Shape.KeyPair;
            if (GetCredentialsMethod(type) != null) return Shape.Provider;
            // AWS.Tools keeps a wrapper object (with a Credentials property) in $StoredAWSCredentials.
            var inner = GetProperty(candidate, "Credentials");
            return inner != null && Classify(inner, depth + 1) != Shape.None ? Shape.Wrapper : Shape.None;
        }

        private static AwsCredentialSet FromKeyMembers(object candidate)
        {
            var accessKey = GetProperty(candidate, "AccessKey") as string;
            var secretKey = GetProperty(candidate, "SecretKey") as string;
            var token = (GetProperty(candidate, "Token") ?? GetProperty(candidate, "SessionToken")) as string;
            if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            {
                throw new InvalidOperationException("The " + candidate.GetType().Name + " object has an empty access key or secret key.");
            }

            return new AwsCredentialSet(accessKey!, secretKey!, token);
        }

        private static MethodInfo? GetCredentialsMethod(Type type) =>
            type.GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);

        private static bool HasStringProperty(Type type, string name)
        {
            var p = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            return p != null && p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0;
        }

        private static object? GetProperty(object candidate, string name)
        {
            var p = candidate.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            return p == null || p.GetIndexParameters().Length != 0 ? null : p.GetValue(candidate, null);
        }
    }
}
