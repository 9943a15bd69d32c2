using System;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>The shared adaptive rate and the retry budget that throttling gets under it.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class RateLimiterTests
    {
        private DateTime _now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void UnderARateLimitPacesBelowWhatGetsThrough()
        {
            var limiter = new RdsRateLimiter(() => _now);
            Assert.Null(limiter.CurrentRate);
            // 100 requests/s sent, 20 get through: the limit.
            Send(limiter, seconds: 1, perSecond: 100, pass: i => i % 5 == 0);
            Assert.NotNull(limiter.CurrentRate);
            Assert.InRange(limiter.CurrentRate!.Value, 1, 26);
        }

        [Fact]
        public void ThrottledRequestsGetMoreAttemptsAndOnlyAShortWaitUnderALimiter()
        {
            var policy = new RdsRetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
            Assert.Equal(10, policy.MaxThrottledAttempts);
            Assert.Equal(1, RdsRetryPolicy.None.MaxThrottledAttempts);
            var throttled = new RdsApiException("DescribeDBClusters", "Throttling", "Rate exceeded", 400, null);
            var failed = new RdsApiException("DescribeDBClusters", "InternalFailure", "boom", 500, null);
            for (var i = 0; i < 50; i++)
            {
                Assert.True(RdsQueryClient.RetryDelay(policy, throttled, 6, new RdsRateLimiter()) <= TimeSpan.FromMilliseconds(100));
            }

            var waits = 0.0;
            for (var i = 0; i < 50; i++) waits += RdsQueryClient.RetryDelay(policy, failed, 6, new RdsRateLimiter()).TotalMilliseconds;
            Assert.True(waits / 50 > 500, "server errors keep their exponential backoff");
        }

        [Fact]
        public async Task ThrottlingBeyondFiveAttemptsStillSucceeds()
        {
            await using var d = await DoubleClient.StartAsync(o =>
            {
                o.RateLimiter = new RdsRateLimiter();
                o.Retry = new RdsRetryPolicy(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
            });
            d.Server.Faults.RandomSeed = 3;
            d.Server.Faults.ThrottleFraction = 0.6;
            for (var i = 0; i < 20; i++) Assert.Equal("orders", (await d.Client.DescribeDBClustersAsync("orders"))[0].DBClusterIdentifier);
            Assert.Contains(d.Server.Requests, r => r.ErrorCode == "Throttling");
        }

        private void Send(RdsRateLimiter limiter, int seconds, int perSecond, Func<int, bool> pass)
        {
            perSecond = Math.Max(1, perSecond);
            var step = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / Math.Max(1, perSecond));
            for (var i = 0; i < seconds * perSecond; i++)
            {
                _now += step;
                if (pass(i)) limiter.OnSuccess();
                else limiter.OnThrottled();
            }
        }
    }
}
