using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>Supplies current AWS credentials for each request, so refreshing sources stay fresh.</summary>
    public interface IAwsCredentialSource
    {
        Task<AwsCredentialSet> GetCredentialsAsync(CancellationToken cancellationToken);
    }
}
