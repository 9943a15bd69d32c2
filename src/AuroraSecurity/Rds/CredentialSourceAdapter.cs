using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AuroraSecurity.Rds
{
    /// <summary>Hands our credential sources to AWSSDK clients (STS), so any source (keys, profiles, a role) can assume a role.</summary>
    internal sealed class CredentialSourceAdapter : AWSCredentials
    {
        private readonly IAwsCredentialSource _source;

        public CredentialSourceAdapter(IAwsCredentialSource source)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
        }

        public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            var set = await _source.GetCredentialsAsync(CancellationToken.None).ConfigureAwait(false);
            return new ImmutableCredentials(set.AccessKey, set.SecretKey, set.SessionToken);
        }
    }
}
