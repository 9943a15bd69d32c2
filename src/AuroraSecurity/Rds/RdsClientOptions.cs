using System;

namespace AuroraSecurity.Rds
{
    /// <summary>Settings for <see cref="RdsQueryClient"/>: region, credentials, endpoint, paging, retries, timeouts, clock.</summary>
    public sealed class RdsClientOptions
    {
        public const int MinPageSize = 20;
        public const int MaxPageSize = 100;

        private int _pageSize = MaxPageSize;
        private TimeSpan _requestTimeout = TimeSpan.FromSeconds(30);

        public RdsClientOptions(string region, IAwsCredentialSource credentials)
        {
            RdsEndpoint.ValidateRegion(region);
            Region = region;
            Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        }

        public string Region { get; }

        public IAwsCredentialSource Credentials { get; }

        /// <summary>Overrides the regional endpoint (an RDS double, a VPC endpoint).</summary>
        public Uri? EndpointUrl { get; set; }

        /// <summary>MaxRecords per Describe page, 20–100.</summary>
        public int PageSize
        {
            get => _pageSize;
            set
            {
                if (value < MinPageSize || value > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRecords must be between 20 and 100.");
                _pageSize = value;
            }
        }

        public RdsRetryPolicy Retry { get; set; } = RdsRetryPolicy.Default;

        /// <summary>Limits RDS requests in flight across every client given the same semaphore (one throttle over accounts and regions); null for none.</summary>
        public System.Threading.SemaphoreSlim? SharedThrottle { get; set; }

        /// <summary>Paces requests after the service throttles; null sends without pacing (retries still back off).</summary>
        public RdsRateLimiter? RateLimiter { get; set; }

        /// <summary>Limit for one attempt; a timed-out attempt is retried.</summary>
        public TimeSpan RequestTimeout
        {
            get => _requestTimeout;
            set
            {
                if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), value, "The request timeout must be positive.");
                _requestTimeout = value;
            }
        }

        /// <summary>The signing clock; replaceable for tests.</summary>
        public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;

        public string UserAgent { get; set; } = "AuroraSecurity/0.1";

        public Uri Endpoint => EndpointUrl ?? RdsEndpoint.ForRegion(Region);
    }
}
