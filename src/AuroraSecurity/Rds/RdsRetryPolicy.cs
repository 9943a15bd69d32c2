using System;
using System.Collections.Generic;
using System.Threading;

namespace AuroraSecurity.Rds
{
    /// <summary>Capped exponential backoff with full jitter for throttling, server errors and transport failures.</summary>
    public sealed class RdsRetryPolicy
    {
        private static readonly HashSet<string> ThrottlingCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
        };

        private static int _seed = Environment.TickCount;
        private readonly ThreadLocal<Random> _random;

        public RdsRetryPolicy(int maxAttempts = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, int? maxThrottledAttempts = null)
        {
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt is needed.");
            MaxAttempts = maxAttempts;
            MaxThrottledAttempts = Math.Max(maxAttempts, maxThrottledAttempts ?? (maxAttempts == 1 ? 1 : Math.Max(maxAttempts, 10)));
            BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(100);
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5);
            if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay) throw new ArgumentException("Retry delays must satisfy 0 <= base <= max.");
            _random = new ThreadLocal<Random>(() => new Random(Interlocked.Increment(ref _seed)));
        }

        /// <summary>Total attempts, the first one included.</summary>
        public int MaxAttempts { get; }

        /// <summary>
        /// Total attempts while the answers are throttling: a paced client waits for its slot rather than giving up, so
        /// throttling alone fails a request only after this many tries (server errors and lost answers stop at <see cref="MaxAttempts"/>).
        /// </summary>
        public int MaxThrottledAttempts { get; }

        public TimeSpan BaseDelay { get; }

        public TimeSpan MaxDelay { get; }

        public static RdsRetryPolicy Default { get; } = new RdsRetryPolicy();

        public static RdsRetryPolicy None { get; } = new RdsRetryPolicy(1);

        public static bool IsThrottlingCode(string? code) => code != null && ThrottlingCodes.Contains(code);

        /// <summary>Whether an error answer is worth another attempt: throttling, 429 and 5xx, never other 4xx.</summary>
        public static bool IsRetryable(int httpStatus, string? code) =>
            IsThrottlingCode(code) || httpStatus == 429 || httpStatus >= 500;

        /// <summary>Delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
        public TimeSpan GetDelay(int retry)
        {
            var exponent = Math.Min(Math.Max(retry - 1, 0), 30);
            var ceilingMs = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
            return TimeSpan.FromMilliseconds(_random.Value!.NextDouble() * ceilingMs);
        }
    }
}
