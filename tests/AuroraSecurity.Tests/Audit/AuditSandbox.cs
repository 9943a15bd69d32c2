using System;
using System.Linq;
using AuroraSecurity.Audit;
using AuroraSecurity.Clusters;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Sql.Accounts;
using RdsDouble;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>Points clusters of the RDS double at the sandbox (cluster and instance endpoints, port) and builds SQL logins for the audit.</summary>
    internal static class AuditSandbox
    {
        /// <summary>The cluster endpoint and every instance endpoint of each named cluster become the sandbox's address and port.</summary>
        public static void PointAt(RdsDoubleServer rds, SandboxServer server, params string[] clusters)
        {
            lock (rds.State.SyncRoot)
            {
                foreach (var id in clusters)
                {
                    var cluster = rds.State.FindCluster(id) ?? throw new InvalidOperationException($"The double has no cluster '{id}'.");
                    cluster.EndpointAddress = server.Host;
                    cluster.Port = server.Port;
                    foreach (var instance in rds.State.MembersOf(cluster)) instance.EndpointAddress = server.Host;
                }
            }
        }

        /// <summary>Logs in to every cluster as the sandbox's master user, with VerifyFull against the sandbox CA.</summary>
        public static Func<AuroraCluster, SqlAccess> Login(SandboxServer server, string? password = null, string? caFile = null) =>
            cluster => SqlAccess.With(new SqlConnectionOptions
            {
                Endpoint = cluster.Endpoint!,
                Port = cluster.Port ?? 3306,
                User = server.AdminUser,
                Password = AccountSandbox.Secure(password ?? server.AdminPassword),
                SslCa = caFile ?? server.CaFile,
            });

        /// <summary>The sandbox's count of connection attempts (its own reading counts as one).</summary>
        public static long Connections(SandboxServer server) =>
            long.Parse(server.RunRootSql("SHOW GLOBAL STATUS LIKE 'Connections'").Split('\t', '\n').Select(s => s.Trim()).Last(s => s.Length > 0), System.Globalization.CultureInfo.InvariantCulture);
    }
}
