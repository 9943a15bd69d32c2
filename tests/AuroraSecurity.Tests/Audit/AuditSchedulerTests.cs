using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Clusters;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>The audit over several accounts and regions: all at once under one throttle, each cluster's findings whole, a failed target alone.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class AuditSchedulerTests
    {
        // Counts the calls in flight over every client that shares it, and holds each a moment so they overlap.
        private sealed class InFlight
        {
            private int _now;
            private int _most;
            public int Most => Volatile.Read(ref _most);

            public async Task<T> Track<T>(Func<Task<T>> call)
            {
                var now = Interlocked.Increment(ref _now);
                int most;
                while ((most = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, most) != most) { }
                try
                {
                    await Task.Delay(20).ConfigureAwait(false);
                    return await call().ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _now);
                }
            }
        }

        private sealed class Counted : DelegatingRds
        {
            private readonly InFlight _flight;
            public Counted(IRdsApi inner, InFlight flight) : base(inner) => _flight = flight;
            public override Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => _flight.Track(() => Inner.DescribeDBClustersAsync(id, filters, ct));
            public override Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) => _flight.Track(() => Inner.DescribeDBInstancesAsync(id, filters, ct));
            public override Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string name, string? source = null, CancellationToken ct = default) => _flight.Track(() => Inner.DescribeDBClusterParametersAsync(name, source, ct));
            public override Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? name = null, CancellationToken ct = default) => _flight.Track(() => Inner.DescribeDBClusterParameterGroupsAsync(name, ct));
        }

        // An account whose role cannot be assumed: every call fails as the credentials would.
        private sealed class NoRole : DelegatingRds
        {
            public NoRole(IRdsApi inner) : base(inner) { }
            public override Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? id = null, IEnumerable<RdsFilter>? filters = null, CancellationToken ct = default) =>
                throw new AuroraSecurityException(AssumedRoleCredentialSource.RoleNotAssumedId, FailureKind.PermissionDenied, "Role arn:aws:iam::222222222222:role/Auditor could not be assumed: AccessDenied");
        }

        [Fact]
        public async Task EveryTargetRunsAtOnceUnderOneThrottleEachClusterWholeAndAFailedTargetAlone()
        {
            await using var d = await DoubleClient.StartAsync();
            var flight = new InFlight();
            var checks = SecurityCheckCatalog.Select(new[] { SecurityCheckCatalog.RequireSecureTransport, SecurityCheckCatalog.NoPendingReboot });
            var targets = new[]
            {
                new AuditTarget(new SecurityAuditRunner(new Counted(d.Client, flight), DoubleClient.Region), null, "first"),
                new AuditTarget(new SecurityAuditRunner(new NoRole(d.Client), DoubleClient.Region), null, "denied"),
                new AuditTarget(new SecurityAuditRunner(new Counted(d.Client, flight), DoubleClient.Region), null, "second"),
            };
            var done = new List<(string Target, AuditProgress Step)>();
            var failed = new List<(string Target, Exception Error)>();
            var prepared = new List<string>();

            await AuditScheduler.RunAsync(targets, checks, 3,
                (t, clusters) => { lock (prepared) prepared.Add((string)t.State!); return Task.FromResult<AuditOptions?>(new AuditOptions()); },
                (t, p) => { if (p.Phase == AuditPhase.Done) done.Add(((string)t.State!, p)); },
                (t, e) => failed.Add(((string)t.State!, e)),
                CancellationToken.None);

            var (target, error) = Assert.Single(failed);
            Assert.Equal("denied", target);
            Assert.Equal(AssumedRoleCredentialSource.RoleNotAssumedId, ((AuroraSecurityException)error).ErrorId);
            Assert.Equal(new[] { "first", "second" }, prepared.OrderBy(p => p));
            foreach (var name in new[] { "first", "second" })
            {
                var mine = done.Where(x => x.Target == name).ToList();
                Assert.Equal(5, mine.Count);
                foreach (var step in mine) Assert.Equal(checks.Select(c => c.Id), step.Step.Outcome!.Value!.Select(f => f.CheckId));
            }

            Assert.Equal(3, flight.Most);
        }

        [Fact]
        public async Task ACancelledRunStopsEveryTarget()
        {
            await using var d = await DoubleClient.StartAsync();
            var flight = new InFlight();
            var targets = Enumerable.Range(0, 4).Select(i => new AuditTarget(new SecurityAuditRunner(new Counted(d.Client, flight), DoubleClient.Region), null, i)).ToList();
            using var stop = new CancellationTokenSource();
            var reported = 0;
            var run = AuditScheduler.RunAsync(targets, SecurityCheckCatalog.All, 2, (t, c) => Task.FromResult<AuditOptions?>(new AuditOptions()),
                (t, p) => { if (Interlocked.Increment(ref reported) == 3) stop.Cancel(); }, (t, e) => { }, stop.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            var after = d.Server.Requests.Count;
            await Task.Delay(300);
            Assert.Equal(after, d.Server.Requests.Count);
        }
    }
}
