using System;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Secrets;
using AuroraSecurity.Sql;

namespace AuroraSecurity.Audit
{
    /// <summary>The audit's SQL step for one cluster: one connection, held under the shared throttle; a failure is the cluster's SQL evidence error.</summary>
    internal static class SqlEvidenceStep
    {
        public static async Task ReadAsync(ClusterEvidence evidence, Func<AuroraCluster, SqlAccess> access, ISecretsManagerApi? secrets, SemaphoreSlim gate, CancellationToken cancellationToken)
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

            var options = login.Options!;
            ManagedMasterCredential? master = null;
            if (login.UsesManagedMasterSecret)
            {
                if (secrets == null) throw new InvalidOperationException("The audit was asked for managed master secrets without a Secrets Manager client.");
                try
                {
                    master = await GatedRdsApi.RunGated(gate, ct => ManagedMasterSecret.ReadAsync(secrets, cluster.ClusterIdentifier, cluster.MasterUserSecretArn, cluster.MasterUserSecretStatus, ct), cancellationToken).ConfigureAwait(false);
                }
                catch (AuroraSecurityException e)
                {
                    evidence.SqlError = e;
                    return;
                }

                options = options.WithLogin(master.UserName, master.Password);
            }

            try
            {
                evidence.Sql = await GatedRdsApi.RunGated(gate, ct => SqlEvidenceReader.ReadAsync(options, cluster.MasterUsername, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (AuroraSecurityException e)
            {
                evidence.SqlError = e;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is OutOfMemoryException))
            {
                evidence.SqlError = new AuroraSecurityException("SqlEvidenceReadFailed", FailureKind.ConnectionError,
                    $"Reading accounts and settings of cluster '{cluster.ClusterIdentifier}' over SQL ({options.Endpoint}:{options.Port}) failed: {e.Message}", e);
            }
            finally
            {
                // The password leaves memory with the connection that used it.
                master?.Dispose();
            }
        }
    }
}
