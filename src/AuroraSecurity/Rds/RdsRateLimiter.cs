using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// One adaptive client-side rate shared by every request to an endpoint, after the AWS SDKs' "adaptive" retry mode:
    /// a token bucket that is off until the service throttles, whose fill rate then drops to a share of the measured send
    /// rate and climbs back along a cubic curve while answers get through.
    /// </summary>
    /// <remarks>
    /// Two refinements keep a run at the rate the service allows instead of far below it. A throttled request that was
    /// sent before the last decrease says nothing about the lowered rate, so it does not lower it again (one decrease per
    /// round, as in TCP). And after each decrease the limiter compares the share of throttled answers before and after:
    /// when slowing down did not lower that share, the throttling does not depend on our rate (the account's quota is
    /// being used by others, or the service refuses a share of requests whatever the rate), so the decrease is undone and
    /// throttling at that share is only retried, not paced; a share clearly above it slows the run again.
    /// </remarks>
    public sealed class RdsRateLimiter
    {
        /// <summary>A share of throttled answers this high is always taken as "too fast": no service refuses that much whatever the rate.</summary>
        private const double MostRefused = 0.5;

        /// <summary>Answers after a decrease that are enough for an early "not the rate" verdict.</summary>
        private const int EarlyVerdictAnswers = 5;

        /// <summary>A share of throttling after a decrease that, this early, already says the rate was not the cause.</summary>
        private const double EarlyVerdictShare = 0.2;

        private static readonly ConcurrentDictionary<string, RdsRateLimiter> Shared = new ConcurrentDictionary<string, RdsRateLimiter>(StringComparer.OrdinalIgnoreCase);

        private readonly object _gate = new object();
        private readonly Func<DateTime> _now;
        private readonly long[] _sendTicks = new long[1024];
        private readonly bool[] _outcomes;
        private int _sendCursor;
        private int _sendCount;
        private int _outcomeCursor;
        private int _outcomeCount;
        private DateTime _lastActivity;

        private bool _enabled;
        private double _fillRate;
        private double _capacity;
        private double _maxCapacity;
        private DateTime _lastRefill;

        private double _lastMaxRate;
        private double _timeWindow;
        private DateTime _lastThrottle;

        private long _sequence;
        private long _decreaseSequence;
        private bool _evaluating;
        private int _afterResponses;
        private int _afterThrottles;
        private double _beforeShare;
        private double? _backgroundShare;
        private bool _rateLimitSeen;

        public RdsRateLimiter(Func<DateTime>? utcNow = null, int evaluationWindow = 20)
        {
            if (evaluationWindow < 2) throw new ArgumentOutOfRangeException(nameof(evaluationWindow), evaluationWindow, "At least two answers are needed to compare throttling shares.");
            _now = utcNow ?? (() => DateTime.UtcNow);
            EvaluationWindow = evaluationWindow;
            _outcomes = new bool[evaluationWindow * 2];
        }

        /// <summary>Share of the send rate kept after a throttling answer (the SDKs' beta).</summary>
        public double Beta { get; set; } = 0.7;

        /// <summary>How fast the rate climbs back after a decrease (the SDKs' cubic scale constant).</summary>
        public double ScaleConstant { get; set; } = 0.4;

        /// <summary>Never paced slower than this many requests per second.</summary>
        public double MinimumRate { get; set; } = 0.5;

        /// <summary>The least a recent share of throttling must exceed the share that does not depend on our rate by to slow down again.</summary>
        public double BackgroundMargin { get; set; } = 0.1;

        /// <summary>After this long without a request the learned rate is forgotten: it says little about the service now.</summary>
        public TimeSpan IdleReset { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Answers compared before and after a decrease.</summary>
        public int EvaluationWindow { get; }

        /// <summary>The current fill rate in requests per second, or null while the limiter is off (no throttling seen).</summary>
        public double? CurrentRate
        {
            get { lock (_gate) return _enabled ? _fillRate : (double?)null; }
        }

        /// <summary>The share of answers throttled whatever our rate, once a decrease showed it; null while unknown.</summary>
        public double? BackgroundThrottleShare
        {
            get { lock (_gate) return _backgroundShare; }
        }

        /// <summary>One limiter per endpoint and region, shared by every client of the session: the service's limit is per account and region, not per client.</summary>
        public static RdsRateLimiter ForEndpoint(Uri endpoint, string region) =>
            Shared.GetOrAdd(endpoint.GetLeftPart(UriPartial.Authority) + "|" + region, _ => new RdsRateLimiter());

        /// <summary>Waits for a token (no wait while the limiter is off) and returns the ticket to report the answer with.</summary>
        public async Task<long> WaitAsync(CancellationToken cancellationToken)
        {
            var ticket = Reserve(out var delay);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return ticket;
        }

        /// <summary>Takes a token now and says how long to wait before sending; the returned ticket identifies the request.</summary>
        public long Reserve(out TimeSpan delay)
        {
            lock (_gate)
            {
                var now = _now();
                if (_enabled && now - _lastActivity > IdleReset) Reset();
                _lastActivity = now;
                _sendTicks[_sendCursor] = now.Ticks;
                _sendCursor = (_sendCursor + 1) % _sendTicks.Length;
                if (_sendCount < _sendTicks.Length) _sendCount++;
                var ticket = ++_sequence;
                delay = TimeSpan.Zero;
                if (!_enabled) return ticket;
                Refill(now);
                if (_capacity < 1)
                {
                    // A negative capacity reserves the next tokens in order, so concurrent callers queue instead of racing.
                    delay = TimeSpan.FromSeconds((1 - _capacity) / _fillRate);
                }

                _capacity -= 1;
                return ticket;
            }
        }

        /// <summary>Records an answer that was not throttled (server errors and lost answers included: they are not a rate signal).</summary>
        public void OnSuccess(long ticket) => OnAnswer(ticket, throttled: false);

        /// <summary>Records a throttling answer.</summary>
        public void OnThrottled(long ticket) => OnAnswer(ticket, throttled: true);

        private void OnAnswer(long ticket, bool throttled)
        {
            lock (_gate)
            {
                var now = _now();
                _lastActivity = now;
                RecordResponse(now, throttled);
                if (_evaluating && ticket > _decreaseSequence)
                {
                    _afterResponses++;
                    if (throttled) _afterThrottles++;
                    if (_afterResponses % EvaluationWindow == 0) Judge(now, early: false);
                    else if (_afterResponses >= EarlyVerdictAnswers && _afterResponses < EvaluationWindow) Judge(now, early: true);
                }

                if (throttled && ShouldDecrease(ticket))
                {
                    Decrease(now);
                    return;
                }

                if (!_enabled) return;
                var calculated = ScaleConstant * Math.Pow((now - _lastThrottle).TotalSeconds - _timeWindow, 3) + _lastMaxRate;
                SetRate(now, Math.Min(calculated, 2 * MeasuredRate(now)));
            }
        }

        private bool ShouldDecrease(long ticket)
        {
            // One decrease per round: answers to requests sent before the last decrease, or before its first judgement, were
            // sent too early to tell whether the lower rate is enough.
            if (ticket <= _decreaseSequence) return false;
            if (_evaluating && _afterResponses < EvaluationWindow)
            {
                // Still far above a limit: most answers since the decrease were refused, so slow down again without waiting.
                return _afterResponses >= 4 && _afterThrottles > 0.75 * _afterResponses;
            }

            if (_backgroundShare is double background)
            {
                var recent = RecentShare();
                var margin = Math.Max(BackgroundMargin, 2.5 * Math.Sqrt(background * (1 - background) / Math.Max(1, _outcomeCount)));
                // Most answers refused is always a reason to slow down, whatever was learned before.
                return recent > MostRefused || recent > background + margin;
            }

            return true;
        }

        private void Decrease(DateTime now)
        {
            var measured = MeasuredRate(now);
            var sending = _enabled ? Math.Min(measured, _fillRate) : measured;
            _beforeShare = RecentShare();
            var rateToUse = Math.Max(sending, MinimumRate);
            _lastMaxRate = rateToUse;
            _timeWindow = Cbrt(_lastMaxRate * (1 - Beta) / ScaleConstant);
            _lastThrottle = now;
            if (!_enabled)
            {
                _enabled = true;
                _lastRefill = now;
                _capacity = 0;
            }

            _decreaseSequence = _sequence;
            _evaluating = true;
            _afterResponses = 0;
            _afterThrottles = 0;
            SetRate(now, rateToUse * Beta);
        }

        /// <summary>
        /// Decides whether the last decrease lowered the share of throttled answers as a rate limit would, each time another
        /// window of answers to requests sent after it has come in (until five windows have, or the decrease is undone).
        /// </summary>
        private void Judge(DateTime now, bool early)
        {
            var after = (double)_afterThrottles / _afterResponses;
            var before = _beforeShare;
            // A rate limit refuses what is sent above it: at Beta times the rate the accepted share grows by 1/Beta. Throttling
            // that does not depend on the rate keeps its share. The nearer of the two explains the answers; a wrong "rate"
            // verdict is revisited with every further window, so noise in one window cannot sink the run for good.
            var expectedIfRateLimited = Math.Max(0, 1 - (1 - before) / Beta);
            var rateCaused = after > MostRefused || after <= (before + expectedIfRateLimited) / 2;
            // A client that sends little would wait long for a full window at a lowered rate: a share that has clearly not
            // fallen is enough to decide early; anything else waits for the full window.
            if (early && (rateCaused || _afterThrottles < 2 || after < Math.Min(before, EarlyVerdictShare))) return;
            if (rateCaused)
            {
                _rateLimitSeen = true;
                if (_afterResponses >= 5 * EvaluationWindow) _evaluating = false;
                if (_backgroundShare is double b && after < b) _backgroundShare = after;
                return;
            }

            _evaluating = false;
            _backgroundShare = _backgroundShare is double known ? (known + (before + after) / 2) / 2 : (before + after) / 2;
            if (!_rateLimitSeen)
            {
                // No rate limit shown so far: throttling that does not depend on the rate does not turn pacing on.
                _enabled = false;
                return;
            }

            // Undo the decrease: resume at the rate before it, climbing from there.
            _lastThrottle = now - TimeSpan.FromSeconds(_timeWindow);
            SetRate(now, _lastMaxRate);
        }

        private void SetRate(DateTime now, double rate)
        {
            Refill(now);
            _fillRate = Math.Max(rate, MinimumRate);
            _maxCapacity = Math.Max(rate, 1);
            if (_capacity > _maxCapacity) _capacity = _maxCapacity;
        }

        private void Refill(DateTime now)
        {
            var seconds = (now - _lastRefill).TotalSeconds;
            if (seconds > 0) _capacity = Math.Min(_maxCapacity, _capacity + seconds * _fillRate);
            _lastRefill = now;
        }

        private void RecordResponse(DateTime now, bool throttled)
        {

            _outcomes[_outcomeCursor] = throttled;
            _outcomeCursor = (_outcomeCursor + 1) % _outcomes.Length;
            if (_outcomeCount < _outcomes.Length) _outcomeCount++;
        }

        /// <summary>
        /// Requests sent per second over the last second, or since the first request of that second when the client was idle
        /// before it (a run that starts after a pause is measured at the pace it sends, not diluted by the pause).
        /// </summary>
        private double MeasuredRate(DateTime now)
        {
            var since = now.Ticks - TimeSpan.TicksPerSecond;
            var count = 0;
            var oldest = now.Ticks;
            for (var i = 0; i < _sendCount; i++)
            {
                var ticks = _sendTicks[i];
                if (ticks <= since) continue;
                count++;
                if (ticks < oldest) oldest = ticks;
            }

            return count / Math.Max(0.01, TimeSpan.FromTicks(now.Ticks - oldest).TotalSeconds);
        }

        private double RecentShare()
        {
            if (_outcomeCount == 0) return 0;
            var throttled = 0;
            for (var i = 0; i < _outcomeCount; i++)
            {
                if (_outcomes[i]) throttled++;
            }

            return (double)throttled / _outcomeCount;
        }

        private void Reset()
        {
            _enabled = false;
            _evaluating = false;
            _backgroundShare = null;
            _rateLimitSeen = false;
            _sendCount = 0;
            _outcomeCount = 0;
        }

        private static double Cbrt(double x) => Math.Pow(x, 1.0 / 3);
    }
}
