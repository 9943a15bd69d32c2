using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Ec2
{
    /// <summary>The EC2 API operations the audit uses.</summary>
    public interface IEc2Api
    {
        /// <summary>The named security groups that exist (every page); a group that does not exist is simply absent from the answer.</summary>
        Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default);
    }
}
