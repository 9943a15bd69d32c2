using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// Client-side pacing that learns the API's request rate, shared by every request of a run (the model is the AWS
    /// SDKs' adaptive retry mode): unlimited until the service throttles, then paced at the rate that was getting
    /// through, climbing back while calls succeed. Throttling that does not ease when the client slows down (random
    /// throttling, not a rate limit) is recognised and does not drive the rate further down.
    /// </summary>
    public sealed class RdsRateLimiter
    {
        private static readonly ConcurrentDictionary<string, RdsRateLimiter> Shared = new ConcurrentDictionary<string, RdsRateLimiter>(StringComparer.OrdinalIgnoreCase);
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly Func<DateTime> _now;
        private readonly long[] _successes = new long[512];
        private readonly long[] _throttles = new long[512];
        private int _successCursor;
        private int _throttleCursor;
        private DateTime _firstEvent = DateTime.MinValue;
        private double? _rate;
        private double _ceiling;
        private DateTime _nextSlot = DateTime.MinValue;
        private DateTime _lastIncrease;
        private DateTime _lastThrottle = DateTime.MinValue;
        private DateTime _lastDecrease = DateTime.MinValue;
        private double? _rateBeforeDecrease;
        private double _fractionAtDecrease;
        private DateTime _randomUntil = DateTime.MinValue;
        private double _randomFraction;

        public RdsRateLimiter(Func<DateTime>? utcNow = null)
        {
            _now = utcNow ?? (() => DateTime.UtcNow);
        }

        /// <summary>Share of the rate that was getting through kept after a throttling answer.</summary>
        public double BackoffFactor { get; set; } = 0.9;

        /// <summary>How fast the allowed rate climbs back, as a share of the current rate gained per second of success (at least one request/s per second).</summary>
        public double RecoveryShare { get; set; } = 0.25;

        /// <summary>Never paced slower than this, so a burst of throttling cannot stall a run.</summary>
        public double MinimumRate { get; set; } = 1.0;

        /// <summary>The current limit in requests per second, or null while unlimited.</summary>
        public double? CurrentRate
        {
            get { lock (_gate) return _rate; }
        }

        /// <summary>True while throttling has been seen not to ease when the client slowed down, so it is not taken as a rate limit.</summary>
        public bool ThrottlingLooksRandom
        {
            get { lock (_gate) return _now() < _randomUntil; }
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
                Record(_successes, ref _successCursor, now);
                if (_rate == null) return;
                var seconds = (now - _lastIncrease).TotalSeconds;
                if (seconds <= 0) return;
                _lastIncrease = now;
                _rate = _rate.Value + Math.Max(1.0, RecoveryShare * _rate.Value) * Math.Min(seconds, 1.0);
                // Far above the last known limit and quiet for a while: stop pacing altogether.
                if (_rate.Value > _ceiling * 4 && now - _lastThrottle > TimeSpan.FromSeconds(30)) _rate = null;
            }
        }

        /// <summary>Records a throttling answer: pace at what was getting through, unless slowing down has been seen not to help.</summary>
        public void OnThrottled()
        {
            lock (_gate)
            {
                var now = _now();
                Record(_throttles, ref _throttleCursor, now);
                _lastThrottle = now;
                // Several requests in flight are refused together; one decision per window is enough.
                if (now - _lastDecrease < Window) return;
                var successes = CountSince(_successes, now - Window);
                var throttles = CountSince(_throttles, now - Window);
                var fraction = throttles / Math.Max(1.0, successes + throttles);
                var seconds = Math.Max(0.05, Math.Min(Window.TotalSeconds, (now - _firstEvent).TotalSeconds));
                var gettingThrough = successes / seconds;

                if (now < _randomUntil && fraction < _randomFraction + 0.15) return;
                if (_rateBeforeDecrease != null && _rate != null && _rate < _rateBeforeDecrease.Value * 0.95 && fraction >= _fractionAtDecrease * 0.7 && fraction < 0.5)
                {
                    // The client slowed down and the share of throttled answers stayed: the service throttles at random,
                    // not above a rate. Go back to the earlier pace and stop reading such throttling as a limit for a while.
                    _rate = _rateBeforeDecrease;
                    _randomFraction = Math.Max(fraction, _fractionAtDecrease);
                    _randomUntil = now + TimeSpan.FromSeconds(10);
                    _rateBeforeDecrease = null;
                    _lastDecrease = now;
                    return;
                }

                _rateBeforeDecrease = _rate ?? Math.Max(gettingThrough + throttles / seconds, MinimumRate);
                _fractionAtDecrease = fraction;
                var basis = _rate == null ? gettingThrough : Math.Min(_rate.Value, Math.Max(gettingThrough, MinimumRate));
                _rate = Math.Max(MinimumRate, basis * BackoffFactor);
                _ceiling = Math.Max(_rate.Value, basis);
                _lastIncrease = now;
                _lastDecrease = now;
                if (_nextSlot < now) _nextSlot = now;
            }
        }

        private void Record(long[] ring, ref int cursor, DateTime now)
        {
            if (_firstEvent == DateTime.MinValue) _firstEvent = now;
            ring[cursor] = now.Ticks;
            cursor = (cursor + 1) % ring.Length;
        }

        private static double CountSince(long[] ring, DateTime since)
        {
            var count = 0;
            foreach (var ticks in ring)
            {
                if (ticks >= since.Ticks) count++;
            }

            return count;
        }
    }
}
