using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Clusters
{
    /// <summary>Reads each DB cluster parameter group at most once, however many clusters share it and however many ask at once.</summary>
    public sealed class ParameterGroupCache
    {
        private readonly IRdsApi _rds;
        private readonly SemaphoreSlim _throttle;
        private readonly CancellationTokenSource _lifetime = new CancellationTokenSource();
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<RdsParameter>>>> _groups =
            new ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<RdsParameter>>>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>At most <paramref name="maxConcurrentReads"/> groups are read at once, so a fleet does not flood the API.</summary>
        public ParameterGroupCache(IRdsApi rds, int maxConcurrentReads = AuroraClusterService.DefaultThrottleLimit)
        {
            if (maxConcurrentReads < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrentReads), maxConcurrentReads, "At least one read at a time is needed.");
            _rds = rds ?? throw new ArgumentNullException(nameof(rds));
            _throttle = new SemaphoreSlim(maxConcurrentReads, maxConcurrentReads);
        }

        /// <summary>How many distinct groups were requested.</summary>
        public int Count => _groups.Count;

        /// <summary>Every parameter of the group; concurrent callers share one read, and a failed read fails them all alike.</summary>
        public Task<IReadOnlyList<RdsParameter>> GetParametersAsync(string groupName, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(groupName)) throw new ArgumentException("A DB cluster parameter group name is needed.", nameof(groupName));
            // The read is not tied to the first caller's token, so one cancelled caller does not fail the others.
            var entry = _groups.GetOrAdd(groupName, name => new Lazy<Task<IReadOnlyList<RdsParameter>>>(
                () => ReadAsync(name),
                LazyThreadSafetyMode.ExecutionAndPublication));
            return WithCancellation(entry.Value, cancellationToken);
        }

        /// <summary>Forgets a group, so the next read sees changes made since (change cmdlets call this after modifying it).</summary>
        public void Invalidate(string groupName) => _groups.TryRemove(groupName, out _);

        /// <summary>Stops reads in flight that nobody waits for any more.</summary>
        public void Cancel() => _lifetime.Cancel();
        private async Task<IReadOnlyList<RdsParameter>> ReadAsync(string groupName)
        {
            await _throttle.WaitAsync(_lifetime.Token).ConfigureAwait(false);
            try
            {
                return await _rds.DescribeDBClusterParametersAsync(groupName, null, _lifetime.Token).ConfigureAwait(false);
            }
            finally
            {
                _throttle.Release();
            }
        }

        private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
