using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Secrets
{
    /// <summary>The AWS Secrets Manager operations the module uses (kept behind one interface, so an SDK client could replace ours).</summary>
    public interface ISecretsManagerApi
    {
        /// <summary>The current version of the secret <paramref name="secretId"/> (an ARN or name); the caller disposes it, which clears the secret.</summary>
        Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default);
    }
}
