using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>The shared adaptive rate, on a clock of its own: every step is decided by the test, nothing is timed.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class RateLimiterTests
    {
        private static readonly DateTime Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private DateTime _now = Start;

        [Fact]
        public void NothingIsPacedUntilTheServiceThrottles()
        {
            var limiter = new RdsRateLimiter(() => _now);
            for (var i = 0; i < 500; i++)
            {
                var ticket = limiter.Reserve(out var delay);
                Assert.Equal(TimeSpan.Zero, delay);
                limiter.OnSuccess(ticket);
                _now += TimeSpan.FromMilliseconds(1);
            }

            Assert.Null(limiter.CurrentRate);
        }

        [Fact]
        public void AThrottleLowersTheRateToBetaTimesTheMeasuredRateOncePerRound()
        {
            var limiter = new RdsRateLimiter(() => _now);
            // 40 requests a second for two seconds (the measured send rate is 40); the last ten are still in flight.
            var inFlight = new List<long>();
            for (var i = 0; i < 80; i++)
            {
                var ticket = limiter.Reserve(out _);
                if (i >= 70) inFlight.Add(ticket);
                else limiter.OnSuccess(ticket);
                _now += TimeSpan.FromMilliseconds(25);
            }

            limiter.OnThrottled(inFlight[0]);
            Assert.InRange(limiter.CurrentRate!.Value, 0.7 * 38, 0.7 * 42);
            var lowered = limiter.CurrentRate.Value;
            // The other requests were sent before the decrease: their throttling says nothing about the lower rate.
            foreach (var ticket in inFlight.Skip(1)) limiter.OnThrottled(ticket);
            Assert.Equal(lowered, limiter.CurrentRate!.Value, 6);
        }

        [Fact]
        public void TheTokenBucketSpacesRequestsAtTheFillRate()
        {
            var limiter = new RdsRateLimiter(() => _now);
            for (var i = 0; i < 10; i++)
            {
                limiter.OnSuccess(limiter.Reserve(out _));
                _now += TimeSpan.FromMilliseconds(100);
            }

            limiter.OnThrottled(limiter.Reserve(out _));
            var rate = limiter.CurrentRate!.Value;
            // Ten callers at the same instant queue one token apart.
            var delays = Enumerable.Range(0, 10).Select(_ => { limiter.Reserve(out var d); return d.TotalSeconds; }).ToList();
            for (var i = 1; i < delays.Count; i++) Assert.Equal(1 / rate, delays[i] - delays[i - 1], 1e-6);
        }

        [Fact]
        public void AfterAThrottleTheRateClimbsBackAlongTheCubicCurve()
        {
            var limiter = new RdsRateLimiter(() => _now);
            for (var i = 0; i < 40; i++)
            {
                limiter.OnSuccess(limiter.Reserve(out _));
                _now += TimeSpan.FromMilliseconds(50);
            }

            limiter.OnThrottled(limiter.Reserve(out _));
            var lowered = limiter.CurrentRate!.Value;
            var before = lowered / 0.7;
            // The cubic is back at the rate before the throttle after K = cbrt(W (1 - beta) / C) seconds.
            var k = Math.Pow(before * 0.3 / 0.4, 1.0 / 3);
            var rates = new List<double>();
            var end = _now + TimeSpan.FromSeconds(k * 1.5);
            while (_now < end)
            {
                var ticket = limiter.Reserve(out var delay);
                _now += delay + TimeSpan.FromMilliseconds(1);
                limiter.OnSuccess(ticket);
                rates.Add(limiter.CurrentRate!.Value);
            }

            Assert.True(rates.Zip(rates.Skip(1), (a, b) => b >= a - 1e-9).All(x => x), "the rate only climbs while answers get through");
            Assert.True(rates.Last() >= before * 0.95, $"back near {before:N1} after {k:N2} s: {rates.Last():N1}");
        }

        [Fact]
        public void AnIdleLimiterForgetsWhatItLearned()
        {
            var limiter = new RdsRateLimiter(() => _now);
            limiter.OnSuccess(limiter.Reserve(out _));
            limiter.OnThrottled(limiter.Reserve(out _));
            Assert.NotNull(limiter.CurrentRate);
            _now += TimeSpan.FromMinutes(2);
            limiter.Reserve(out var delay);
            Assert.Equal(TimeSpan.Zero, delay);
            Assert.Null(limiter.CurrentRate);
        }

        [Fact]
        public void UnderARateLimitTheRunSettlesAtTheAllowedRate()
        {
            var run = new Simulation(_now, allowedRate: 20, randomThrottleShare: 0, concurrency: 8, seed: 1).Run(600);
            Assert.True(run.Goodput >= 17, $"{run.Goodput:N1} accepted requests/s against an allowed 20");
            // The cubic probes above the limit and backs off again: a sawtooth, as in the SDKs' adaptive mode.
            Assert.True(run.ThrottledShare <= 0.25, $"{run.ThrottledShare:P0} of requests throttled");
            Assert.InRange(run.Limiter.CurrentRate!.Value, 10, 32);
        }

        [Fact]
        public void UnderRandomThrottlingTheRunDoesNotSinkBelowTheRateItCouldSend()
        {
            var clean = new Simulation(_now, allowedRate: null, randomThrottleShare: 0, concurrency: 8, seed: 2).Run(600);
            var faulty = new Simulation(_now, allowedRate: null, randomThrottleShare: 0.3, concurrency: 8, seed: 2).Run(600);
            // 30% refused whatever the rate: about 1.43 attempts per request plus the short waits before retries.
            Assert.True(faulty.Seconds <= clean.Seconds * 2.5, $"{faulty.Seconds:N2} s with random throttling, {clean.Seconds:N2} s without");
            Assert.InRange(faulty.Limiter.BackgroundThrottleShare!.Value, 0.15, 0.45);
        }

        [Fact]
        public void SeveralSeedsOfRandomThrottlingAllKeepTheRate()
        {
            var clean = new Simulation(_now, allowedRate: null, randomThrottleShare: 0, concurrency: 8, seed: 2).Run(400);
            var ratios = Enumerable.Range(1, 9)
                .Select(seed => new Simulation(_now, allowedRate: null, randomThrottleShare: 0.3, concurrency: 8, seed: seed).Run(400).Seconds / clean.Seconds)
                .OrderBy(r => r)
                .ToList();
            Assert.True(ratios[4] <= 3, "median " + ratios[4].ToString("N2") + "x the fault-free time");
            Assert.True(ratios[8] <= 4, "worst " + ratios[8].ToString("N2") + "x the fault-free time");
        }

        [Fact]
        public void ARateLimitOnTopOfRandomThrottlingStillSlowsTheRunToTheLimit()
        {
            var run = new Simulation(_now, allowedRate: 20, randomThrottleShare: 0.3, concurrency: 8, seed: 3).Run(600);
            // At most 70% of the allowed 20/s can get through; the run must neither flood nor sink.
            Assert.True(run.Goodput >= 0.7 * 20 * 0.75, $"{run.Goodput:N1} accepted requests/s");
            Assert.True(run.ThrottledShare <= 0.55, $"{run.ThrottledShare:P0} of requests throttled");
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
            var unpaced = 0.0;
            for (var i = 0; i < 50; i++) unpaced += RdsQueryClient.RetryDelay(policy, throttled, 6, null).TotalMilliseconds;
            Assert.True(unpaced / 50 > 500, "without a limiter throttling backs off per request");
        }

        [Theory]
        [InlineData(null, true)]
        [InlineData("adaptive", true)]
        [InlineData(" Adaptive ", true)]
        [InlineData("standard", false)]
        [InlineData("LEGACY", false)]
        public void AwsRetryModeStandardOrLegacyTurnsTheSharedRateOff(string? mode, bool adaptive) =>
            Assert.Equal(adaptive, AwsContext.UsesAdaptiveRetryMode(mode));

        /// <summary>
        /// A client of <c>concurrency</c> workers (25 ms per answer) against a service with a token-bucket limit and/or a
        /// random share of throttling, run as discrete events on the limiter's clock.
        /// </summary>
        private sealed class Simulation
        {
            private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(25);
            private readonly double? _allowedRate;
            private readonly double _randomShare;
            private readonly int _concurrency;
            private readonly Random _random;
            private DateTime _now;
            private double _serviceTokens;
            private DateTime _serviceRefill;

            public Simulation(DateTime start, double? allowedRate, double randomThrottleShare, int concurrency, int seed)
            {
                _now = start;
                _serviceRefill = start;
                _allowedRate = allowedRate;
                _serviceTokens = allowedRate ?? 0;
                _randomShare = randomThrottleShare;
                _concurrency = concurrency;
                _random = new Random(seed);
                Limiter = new RdsRateLimiter(() => _now);
            }

            public RdsRateLimiter Limiter { get; }

            public double Seconds { get; private set; }

            public double Goodput { get; private set; }

            public double ThrottledShare { get; private set; }

            public Simulation Run(int requests)
            {
                var start = _now;
                var events = new PriorityQueue<(int Kind, long Ticket), (DateTime, long)>();
                long order = 0;
                void At(DateTime when, int kind, long ticket = 0) => events.Enqueue((kind, ticket), (when, order++));
                const int Ready = 0, Send = 1, Accepted = 2, Throttled = 3;
                var started = 0;
                var done = 0;
                var attempts = 0;
                var throttled = 0;
                for (var i = 0; i < _concurrency; i++) { At(_now, Ready); started++; }
                while (done < requests)
                {
                    events.TryDequeue(out var e, out var key);
                    _now = key.Item1;
                    switch (e.Kind)
                    {
                        case Ready:
                            var ticket = Limiter.Reserve(out var delay);
                            At(_now + delay, Send, ticket);
                            break;
                        case Send:
                            attempts++;
                            At(_now + Latency, ServiceAccepts() ? Accepted : Throttled, e.Ticket);
                            break;
                        case Accepted:
                            Limiter.OnSuccess(e.Ticket);
                            done++;
                            if (started < requests) { started++; At(_now, Ready); }
                            break;
                        case Throttled:
                            throttled++;
                            Limiter.OnThrottled(e.Ticket);
                            // The client's short jittered wait before a throttled retry under a limiter.
                            At(_now + TimeSpan.FromMilliseconds(_random.NextDouble() * 100), Ready);
                            break;
                    }
                }

                Seconds = (_now - start).TotalSeconds;
                Goodput = done / Seconds;
                ThrottledShare = (double)throttled / attempts;
                return this;
            }

            private bool ServiceAccepts()
            {
                if (_allowedRate is double rate)
                {
                    _serviceTokens = Math.Min(rate, _serviceTokens + (_now - _serviceRefill).TotalSeconds * rate);
                    _serviceRefill = _now;
                    if (_serviceTokens < 1) return false;
                    if (_random.NextDouble() < _randomShare) return false;
                    _serviceTokens -= 1;
                    return true;
                }

                return _random.NextDouble() >= _randomShare;
            }
        }
    }

    /// <summary>The shared rate and the retry budget against the RDS double.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class RateLimiterAgainstDoubleTests
    {

        [Fact]
        public async Task ThrottlingBeyondFiveAttemptsStillSucceeds()
        {
            await using var d = await DoubleClient.StartAsync(o =>
            {
                o.RateLimiter = new RdsRateLimiter();
                o.Retry = new RdsRetryPolicy(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
            });
            d.Server.Faults.RandomSeed = 8;
            d.Server.Faults.ThrottleFraction = 0.45;
            for (var i = 0; i < 40; i++) Assert.Equal("orders", (await d.Client.DescribeDBClustersAsync("orders"))[0].DBClusterIdentifier);
            // One request at a time: a run of throttled answers belongs to one request, and one run was longer than five.
            var longest = 0;
            var run = 0;
            foreach (var r in d.Server.Requests)
            {
                run = r.ErrorCode == "Throttling" ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }

            Assert.True(longest >= 5, $"the longest run of throttled answers was {longest}");
        }
    }
}
