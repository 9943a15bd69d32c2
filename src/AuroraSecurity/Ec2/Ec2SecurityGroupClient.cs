using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Ec2
{
    /// <summary>
    /// DescribeSecurityGroups through AWSSDK.EC2, paced by the same adaptive limiter and retry policy as the RDS client,
    /// so one rate governs every request of a run; the SDK's own retries are off.
    /// </summary>
    public sealed class Ec2SecurityGroupClient : IEc2Api, IDisposable
    {
        // EC2 filters take at most 200 values.
        private const int GroupsPerRequest = 200;
        private const string Action = "DescribeSecurityGroups";

        private readonly AmazonEC2Client _client;
        private readonly RdsRetryPolicy _retry;
        private readonly RdsRateLimiter? _limiter;

        /// <summary>
        /// An EC2 client for the security audit in <paramref name="context"/>: the same credentials, retry policy and session rate limiter as
        /// the RDS client; -EndpointUrl (a VPC endpoint, a double) serves EC2 too, as does an endpoint configured for EC2 or for every service; otherwise EC2's regional endpoint is used.
        /// </summary>
        public static Ec2SecurityGroupClient For(AwsContext context)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            var options = context.CreateClientOptions();
            return new Ec2SecurityGroupClient(options, context.Ec2Endpoint, options.RateLimiter);
        }

        /// <summary>Uses the region, credentials, retry policy and rate limiter of <paramref name="options"/>; <paramref name="endpoint"/> overrides EC2's regional endpoint.</summary>
        public Ec2SecurityGroupClient(RdsClientOptions options, Uri? endpoint = null, RdsRateLimiter? limiter = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var config = new AmazonEC2Config
            {
                MaxErrorRetry = 0,
                Timeout = options.RequestTimeout,
                AuthenticationRegion = options.Region,
            };
            if (endpoint != null) config.ServiceURL = endpoint.ToString();
            else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
            _client = new AmazonEC2Client(new SourceCredentials(options.Credentials), config);
            _retry = options.Retry;
            _limiter = limiter ?? options.RateLimiter;
        }

        public void Dispose() => _client.Dispose();

        public async Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken = default)
        {
            if (groupIds == null) throw new ArgumentNullException(nameof(groupIds));
            var ids = groupIds.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct(StringComparer.Ordinal).ToList();
            var all = new List<Ec2SecurityGroup>();
            for (var start = 0; start < ids.Count; start += GroupsPerRequest)
            {
                var batch = ids.Skip(start).Take(GroupsPerRequest).ToList();
                string? token = null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                do
                {
                    // A filter (unlike GroupIds) leaves out a group that does not exist instead of failing the whole call.
                    var request = new DescribeSecurityGroupsRequest
                    {
                        Filters = new List<Filter> { new Filter("group-id", batch) },
                        MaxResults = 1000,
                        NextToken = token,
                    };
                    var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                    all.AddRange((response.SecurityGroups ?? new List<SecurityGroup>()).Select(Map));
                    token = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
                    if (token != null && !seen.Add(token)) throw new InvalidOperationException("EC2 DescribeSecurityGroups returned the same page token twice; stopping to avoid an endless loop.");
                }
                while (token != null);
            }

            return all;
        }

        private Task<DescribeSecurityGroupsResponse> SendAsync(DescribeSecurityGroupsRequest request, CancellationToken cancellationToken) =>
            PacedRequest.SendAsync<DescribeSecurityGroupsResponse, RdsApiException>(_retry, _limiter, null, ct => SendOnceAsync(request, ct), cancellationToken);

        // One attempt; the SDK's failures become the RDS client's, so one retry loop and one error translation serve both.
        private async Task<DescribeSecurityGroupsResponse> SendOnceAsync(DescribeSecurityGroupsRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await _client.DescribeSecurityGroupsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.StatusCode != 0 || !string.IsNullOrEmpty(e.ErrorCode))
            {
                var status = (int)e.StatusCode;
                throw new RdsApiException(Action, string.IsNullOrEmpty(e.ErrorCode) ? "HttpStatus" + status : e.ErrorCode, e.Message, status, e.RequestId, null, e);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is HttpRequestException || e is System.IO.IOException || e is WebException || e is AmazonClientException || e is OperationCanceledException))
            {
                throw new RdsApiException(Action, e is OperationCanceledException ? RdsApiException.RequestTimeoutCode : RdsApiException.NetworkErrorCode,
                    "Could not reach EC2: " + Innermost(e).Message, 0, null, null, e);
            }
        }

        private static Ec2SecurityGroup Map(SecurityGroup g) => new Ec2SecurityGroup
        {
            GroupId = g.GroupId ?? string.Empty,
            GroupName = g.GroupName,
            VpcId = g.VpcId,
            IngressRules = (g.IpPermissions ?? new List<IpPermission>()).Select(p => new Ec2IngressRule
            {
                IpProtocol = p.IpProtocol,
                FromPort = p.FromPort,
                ToPort = p.ToPort,
                Ipv4Ranges = (p.Ipv4Ranges ?? new List<IpRange>()).Select(r => r.CidrIp).Where(c => !string.IsNullOrEmpty(c)).ToList(),
                Ipv6Ranges = (p.Ipv6Ranges ?? new List<Ipv6Range>()).Select(r => r.CidrIpv6).Where(c => !string.IsNullOrEmpty(c)).ToList(),
            }).ToList(),
        };

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        // Hands the module's credential source to the SDK, fresh for every request.
        private sealed class SourceCredentials : AWSCredentials
        {
            private readonly IAwsCredentialSource _source;

            public SourceCredentials(IAwsCredentialSource source) => _source = source;

            public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

            public override async Task<ImmutableCredentials> GetCredentialsAsync()
            {
                var set = await _source.GetCredentialsAsync(CancellationToken.None).ConfigureAwait(false);
                return new ImmutableCredentials(set.AccessKey, set.SecretKey, set.SessionToken);
            }
        }
    }
}
