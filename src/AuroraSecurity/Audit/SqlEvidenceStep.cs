using System;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;

namespace AuroraSecurity.Audit
{
    /// <summary>The audit's SQL step for one cluster: one connection, held under the shared throttle; a failure is the cluster's SQL evidence error.</summary>
    internal static class SqlEvidenceStep
    {
        public static async Task ReadAsync(ClusterEvidence evidence, Func<AuroraCluster, SqlAccess> access, SemaphoreSlim gate, CancellationToken cancellationToken)
        {
            var cluster = evidence.Cluster;
            SqlAccess login;
            try
            {
                login = access(cluster);
            }
            catch (AuroraSecurityException e)
            {
                login = SqlAccess.Failed(e);
            }

            if (login.NotRequested != null)
            {
                evidence.SqlNotRequested = login.NotRequested;
                return;
            }

            evidence.SqlNotRequested = null;
            if (login.Error != null)
            {
                evidence.SqlError = login.Error;
                return;
            }

            try
            {
                evidence.Sql = await GatedRdsApi.RunGated(gate, ct => SqlEvidenceReader.ReadAsync(login.Options!, cluster.MasterUsername, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (AuroraSecurityException e)
            {
                evidence.SqlError = e;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is OutOfMemoryException))
            {
                evidence.SqlError = new AuroraSecurityException("SqlEvidenceReadFailed", FailureKind.ConnectionError,
                    $"Reading accounts and settings of cluster '{cluster.ClusterIdentifier}' over SQL ({login.Options!.Endpoint}:{login.Options.Port}) failed: {e.Message}", e);
            }
        }
    }
}
