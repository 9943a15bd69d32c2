using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Completion
{
    /// <summary>
    /// Cluster identifiers for tab completion, read from RDS with the command line's own AWS parameters and kept briefly, so
    /// pressing Tab again does not call AWS again. Never prompts and never throws: no credentials, a slow network or an
    /// error all complete nothing.
    /// </summary>
    public static class ClusterNameCache
    {
        /// <summary>How long a listing is reused.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

        /// <summary>How long completion waits for RDS.</summary>
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        private static readonly ConcurrentDictionary<string, Entry> Entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>Replaces how the RDS client is made (tests count the calls).</summary>
        internal static Func<AwsContext, IRdsApi>? ClientFactory { get; set; }

        /// <summary>Forgets every listing.</summary>
        public static void Clear() => Entries.Clear();

        /// <summary>The Aurora MySQL cluster identifiers of the request's account and region; empty when they cannot be read in time.</summary>
        public static IReadOnlyList<string> Get(AwsContextRequest request, Func<DateTime>? utcNow = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var now = (utcNow ?? (() => DateTime.UtcNow))();
            var key = string.Join("\u0001", request.Region, request.ProfileName, request.ProfileLocation, request.AccessKey, request.EndpointUrl,
                request.Credential?.GetHashCode(), request.StoredCredentials?.GetHashCode(), request.StoredRegion);
            if (Entries.TryGetValue(key, out var cached) && now - cached.ReadAt < Lifetime) return cached.Names;

            IReadOnlyList<string> names;
            try
            {
                names = Read(request);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                names = new string[0];
            }

            Entries[key] = new Entry(now, names);
            return names;
        }

        private static IReadOnlyList<string> Read(AwsContextRequest request)
        {
            using (var cancel = new CancellationTokenSource(Timeout))
            {
                var work = Task.Run(async () =>
                {
                    var context = new AwsContextResolver().Resolve(request);
                    var rds = ClientFactory?.Invoke(context) ?? new RdsQueryClient(context.CreateClientOptions());
                    try
                    {
                        var clusters = await new AuroraClusterService(rds, context.Region).ListClustersAsync(cancel.Token).ConfigureAwait(false);
                        return (IReadOnlyList<string>)clusters.Select(c => c.ClusterIdentifier).OrderBy(n => n, StringComparer.Ordinal).ToList();
                    }
                    finally
                    {
                        (rds as IDisposable)?.Dispose();
                    }
                }, cancel.Token);
                return work.Wait(Timeout) ? work.Result : new string[0];
            }
        }

        private sealed class Entry
        {
            public Entry(DateTime readAt, IReadOnlyList<string> names)
            {
                ReadAt = readAt;
                Names = names;
            }

            public DateTime ReadAt { get; }
            public IReadOnlyList<string> Names { get; }
        }
    }
}
