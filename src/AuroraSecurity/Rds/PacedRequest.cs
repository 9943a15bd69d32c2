using System;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Rds
{
    /// <summary>What the shared retry loop needs to know of a failed AWS request, whichever service answered.</summary>
    internal interface IAwsRequestFailure
    {
        /// <summary>Whether another attempt may do better: a retryable status or error code, no answer at all, or an attempt that timed out.</summary>
        bool IsTransient { get; }

        bool IsThrottling { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        int Attempts { get; set; }
    }

    /// <summary>
    /// Sends one AWS request the way every client of the module does: it waits for the shared adaptive rate and the shared
    /// throttle, tells the rate what each answer was, and tries again after a transient failure as the retry policy says.
    /// </summary>
    internal static class PacedRequest
    {
        internal static async Task<T> SendAsync<T, TFailure>(
            RdsRetryPolicy policy, RdsRateLimiter? limiter, SemaphoreSlim? sharedThrottle,
            Func<CancellationToken, Task<T>> attemptOnce, CancellationToken cancellationToken)
            where TFailure : Exception, IAwsRequestFailure
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ticket = limiter == null ? 0 : await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
                TFailure failure;
                if (sharedThrottle != null) await sharedThrottle.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var answer = await attemptOnce(cancellationToken).ConfigureAwait(false);
                    limiter?.OnSuccess(ticket);
                    return answer;
                }
                catch (TFailure e) when (e.IsTransient)
                {
                    if (e.IsThrottling) limiter?.OnThrottled(ticket);
                    else limiter?.OnSuccess(ticket);
                    failure = e;
                }
                catch (TFailure)
                {
                    // An answer all the same (not found, access denied): it counts towards the measured rate.
                    limiter?.OnSuccess(ticket);
                    throw;
                }
                finally
                {
                    sharedThrottle?.Release();
                }

                failure.Attempts = attempt;
                if (attempt >= (failure.IsThrottling ? policy.MaxThrottledAttempts : policy.MaxAttempts)) throw failure;
                await Task.Delay(RetryDelay(policy, failure.IsThrottling, attempt, limiter), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The wait before the next attempt. Under the shared rate a throttled request waits only a short jitter, because the
        /// limiter's pace is what gets it through (an exponential wait on top would idle the run far below the allowed rate).
        /// </summary>
        internal static TimeSpan RetryDelay(RdsRetryPolicy policy, bool throttled, int attempt, RdsRateLimiter? limiter) =>
            throttled && limiter != null ? policy.GetDelay(1) : policy.GetDelay(attempt);
    }
}
