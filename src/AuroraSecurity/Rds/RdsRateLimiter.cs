using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// Client-side pacing that learns the API's request rate: unlimited until the service throttles, then spaced
    /// requests at a fraction of the rate that was getting through, rising again while calls succeed.
    /// </summary>
    public sealed class RdsRateLimiter
    {
        private static readonly ConcurrentDictionary<string, RdsRateLimiter> Shared = new ConcurrentDictionary<string, RdsRateLimiter>(StringComparer.OrdinalIgnoreCase);

        private readonly object _gate = new object();
        private readonly Func<DateTime> _now;
        private readonly long[] _recentSuccesses = new long[256];
        private int _successCursor;
        private double? _rate;
        private double _ceiling;
        private DateTime _nextSlot = DateTime.MinValue;
        private DateTime _lastIncrease;
        private DateTime _lastThrottle = DateTime.MinValue;

        public RdsRateLimiter(Func<DateTime>? utcNow = null)
        {
            _now = utcNow ?? (() => DateTime.UtcNow);
        }

        /// <summary>Share of the observed rate kept after a throttling answer.</summary>
        public double BackoffFactor { get; set; } = 0.8;

        /// <summary>How fast the allowed rate climbs back, in requests per second gained per second of success.</summary>
        public double RecoveryPerSecond { get; set; } = 2.0;

        /// <summary>Never paced slower than this, so a burst of throttling cannot stall a run.</summary>
        public double MinimumRate { get; set; } = 1.0;

        /// <summary>The current limit in requests per second, or null while unlimited.</summary>
        public double? CurrentRate
        {
            get { lock (_gate) return _rate; }
        }

        /// <summary>One limiter per endpoint and region, shared by every client of the session: the service's limit is per account and region, not per client.</summary>
        public static RdsRateLimiter ForEndpoint(Uri endpoint, string region) =>
            Shared.GetOrAdd(endpoint.GetLeftPart(UriPartial.Authority) + "|" + region, _ => new RdsRateLimiter());

        /// <summary>Waits for the next free slot (no wait while unlimited).</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            TimeSpan delay;
            lock (_gate)
            {
                if (_rate == null) return Task.CompletedTask;
                var now = _now();
                var slot = _nextSlot > now ? _nextSlot : now;
                _nextSlot = slot + TimeSpan.FromSeconds(1.0 / _rate.Value);
                delay = slot - now;
            }

            return delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;
        }

        /// <summary>Records an answer that was not throttled; a limited rate climbs back towards (and past) where it was.</summary>
        public void OnSuccess()
        {
            lock (_gate)
            {
                var now = _now();
                _recentSuccesses[_successCursor] = now.Ticks;
                _successCursor = (_successCursor + 1) % _recentSuccesses.Length;
                if (_rate == null) return;
                var seconds = (now - _lastIncrease).TotalSeconds;
                if (seconds <= 0) return;
                _lastIncrease = now;
                _rate = _rate.Value + RecoveryPerSecond * Math.Min(seconds, 1.0);
                // Far above the last known limit and quiet for a while: stop pacing altogether.
                if (_rate.Value > _ceiling * 4 && now - _lastThrottle > TimeSpan.FromSeconds(30)) _rate = null;
            }
        }

        /// <summary>Records a throttling answer: pace at a fraction of what was getting through in the last second.</summary>
        public void OnThrottled()
        {
            lock (_gate)
            {
                var now = _now();
                // Several requests in flight are refused together; one back-off per burst is enough.
                if (_rate != null && now - _lastThrottle < TimeSpan.FromSeconds(1.0 / _rate.Value * 2)) return;
                _lastThrottle = now;
                var observed = SuccessesSince(now - TimeSpan.FromSeconds(1));
                var basis = _rate == null ? observed : Math.Min(_rate.Value, Math.Max(observed, MinimumRate));
                _rate = Math.Max(MinimumRate, basis * BackoffFactor);
                _ceiling = Math.Max(_rate.Value, basis);
                _lastIncrease = now;
                if (_nextSlot < now) _nextSlot = now;
            }
        }

        private double SuccessesSince(DateTime since)
        {
            var count = 0;
            foreach (var ticks in _recentSuccesses)
            {
                if (ticks >= since.Ticks) count++;
            }

            return count;
        }
    }
}
