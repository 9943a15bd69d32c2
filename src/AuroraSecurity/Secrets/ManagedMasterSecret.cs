using System;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Secrets
{
    /// <summary>Reads a cluster's master login from the secret RDS manages for it (MasterUserSecret), only when RDS says the secret is active.</summary>
    public static class ManagedMasterSecret
    {
        /// <summary>The status RDS gives a managed secret that can be used.</summary>
        public const string ActiveStatus = "active";

        /// <summary>
        /// The master login of <paramref name="clusterIdentifier"/> from <paramref name="secretArn"/> (RDS's MasterUserSecret.SecretArn) when
        /// <paramref name="secretStatus"/> is active; every failure is an <see cref="AuroraSecurityException"/> that says why, never the secret.
        /// </summary>
        public static async Task<ManagedMasterCredential> ReadAsync(ISecretsManagerApi api, string clusterIdentifier, string? secretArn, string? secretStatus, CancellationToken cancellationToken = default)
        {
            if (api == null) throw new ArgumentNullException(nameof(api));
            if (string.IsNullOrWhiteSpace(secretArn)) throw SecretsManagerErrorTranslator.NoManagedSecret(clusterIdentifier);
            var arn = secretArn!.Trim();
            if (!string.Equals(secretStatus?.Trim(), ActiveStatus, StringComparison.OrdinalIgnoreCase)) throw SecretsManagerErrorTranslator.SecretNotActive(clusterIdentifier, arn, string.IsNullOrWhiteSpace(secretStatus) ? null : secretStatus!.Trim());
            if (SecretArn.TryParse(arn) == null) throw SecretArn.Invalid(arn);
            var subject = $"the master user secret of cluster '{clusterIdentifier}'";
            SecretValue value;
            try
            {
                value = await api.GetSecretValueAsync(arn, cancellationToken).ConfigureAwait(false);
            }
            catch (SecretsManagerApiException e)
            {
                throw SecretsManagerErrorTranslator.Translate(e, subject, arn);
            }

            using (value)
            {
                return ManagedMasterCredential.From(value, clusterIdentifier, subject, arn);
            }
        }
    }
}
