using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AuroraSecurity.Rds
{
    /// <summary>Adapts AWSSDK.Core credentials (profiles, SSO, container, instance) and lets them refresh.</summary>
    internal sealed class SdkCredentialSource : IAwsCredentialSource
    {
        private readonly AWSCredentials _credentials;

        public SdkCredentialSource(AWSCredentials credentials)
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        }

        public async Task<AwsCredentialSet> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImmutableCredentials immutable;
            try
            {
                immutable = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                // SSO, role and container credentials fail here with the SDK's own exceptions: name the source and what to do.
                throw AwsConfigurationException.CredentialsUnavailable("the " + _credentials.GetType().Name + " credentials", e);
            }

            if (immutable == null || string.IsNullOrEmpty(immutable.AccessKey) || string.IsNullOrEmpty(immutable.SecretKey))
            {
                throw AwsConfigurationException.CredentialsUnavailable("the " + _credentials.GetType().Name + " credentials (no access key)", null);
            }

            return new AwsCredentialSet(immutable.AccessKey, immutable.SecretKey, immutable.UseToken ? immutable.Token : null);
        }

        public override string ToString() => "SdkCredentialSource(" + _credentials.GetType().Name + ")";
    }
}
