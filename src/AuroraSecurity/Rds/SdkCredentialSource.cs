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
            var immutable = await _credentials.GetCredentialsAsync().ConfigureAwait(false);
            if (immutable == null || string.IsNullOrEmpty(immutable.AccessKey) || string.IsNullOrEmpty(immutable.SecretKey))
            {
                throw new AwsConfigurationException("The " + _credentials.GetType().Name + " credentials returned no access key; check the AWS profile or role configuration.");
            }

            return new AwsCredentialSet(immutable.AccessKey, immutable.SecretKey, immutable.UseToken ? immutable.Token : null);
        }

        public override string ToString() => "SdkCredentialSource(" + _credentials.GetType().Name + ")";
    }
}
