using System;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>A credential source that always returns the same keys.</summary>
    public sealed class StaticCredentialSource : IAwsCredentialSource
    {
        private readonly Task<AwsCredentialSet> _credentials;

        public StaticCredentialSource(AwsCredentialSet credentials)
        {
            _credentials = Task.FromResult(credentials ?? throw new ArgumentNullException(nameof(credentials)));
        }

        public Task<AwsCredentialSet> GetCredentialsAsync(CancellationToken cancellationToken) => _credentials;

        public override string ToString() => _credentials.Result.ToString();
    }
}
