using System;

namespace AuroraSecurity.Secrets
{
    /// <summary>The one place that turns Secrets Manager errors, and secrets that cannot serve as a login, into messages that say what happened and what to do.</summary>
    public static class SecretsManagerErrorTranslator
    {
        /// <summary>
        /// Translates a failed read of <paramref name="secretArn"/>, described as <paramref name="subject"/> ("the master user secret of cluster 'orders'");
        /// the message holds the service's error text (which never holds the secret), never the secret.
        /// </summary>
        public static AuroraSecurityException Translate(SecretsManagerApiException error, string subject, string secretArn)
        {
            if (error == null) throw new ArgumentNullException(nameof(error));
            var attempts = error.Attempts > 1 ? " after " + error.Attempts + " attempts" : string.Empty;
            var said = string.IsNullOrEmpty(error.ApiMessage) ? string.Empty : " Secrets Manager said: " + error.ApiMessage;
            var region = SecretArn.TryParse(secretArn)?.Region ?? "<region>";
            switch (error.Code)
            {
                case "AccessDeniedException":
                case "AccessDenied":
                    return new AuroraSecurityException("SecretAccessDenied", FailureKind.PermissionDenied,
                        $"The credentials may not read {subject} ({secretArn}): grant secretsmanager:GetSecretValue on that secret. " +
                        $"When the secret is encrypted with a customer managed KMS key, kms:Decrypt on that key (with the condition kms:ViaService = secretsmanager.{region}.amazonaws.com) is needed too; " +
                        $"Get-AuroraIamPolicy -UseManagedMasterSecret writes both.{said}", error);
                case "ResourceNotFoundException":
                    return new AuroraSecurityException("SecretNotFound", FailureKind.NotFound,
                        $"Secrets Manager has no secret {secretArn} ({subject}). The cluster names it as its MasterUserSecret, so it was deleted or belongs to another account or region; " +
                        "check the cluster with Get-AuroraCluster, or let RDS manage the password again (aws rds modify-db-cluster --manage-master-user-password).", error);
                case "DecryptionFailure":
                    return new AuroraSecurityException("SecretDecryptionFailed", FailureKind.PermissionDenied,
                        $"Secrets Manager could not decrypt {subject} ({secretArn}) with its KMS key: the key is disabled or pending deletion, or the credentials lack kms:Decrypt on it " +
                        $"(with the condition kms:ViaService = secretsmanager.{region}.amazonaws.com).{said}", error);
                case "InvalidRequestException":
                case "InvalidParameterException":
                    return new AuroraSecurityException("SecretRequestRefused", FailureKind.InvalidOperation,
                        $"Secrets Manager refused to read {subject} ({secretArn}) ({error.Code}); a secret scheduled for deletion answers like this.{said}", error);
                case "UnrecognizedClientException":
                case "InvalidSignatureException":
                case "IncompleteSignature":
                case "MissingAuthenticationToken":
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                    return new AuroraSecurityException("SecretsManagerAuthenticationFailed", FailureKind.SecurityError,
                        $"Secrets Manager refused the credentials while reading {subject} ({secretArn}) ({error.Code}). Check -AccessKey/-SecretKey or -ProfileName, and the endpoint configured for Secrets Manager.", error);
                case "ExpiredTokenException":
                case "ExpiredToken":
                case "RequestExpired":
                    return new AuroraSecurityException("SecretsManagerCredentialsExpired", FailureKind.SecurityError,
                        $"Secrets Manager refused the request for {subject} ({secretArn}) ({error.Code}): the session token or signature has expired. Refresh the credentials (e.g. aws sso login) and check the clock.", error);
                case SecretsManagerApiException.InvalidResponseCode:
                    return new AuroraSecurityException("SecretsManagerInvalidResponse", FailureKind.ServiceError,
                        $"Secrets Manager could not be read for {subject} ({secretArn}): {error.ApiMessage} A proxy, a captive portal or a wrong endpoint answers like this; " +
                        "check AWS_ENDPOINT_URL_SECRETS_MANAGER, the profile's services section, -EndpointUrl and any HTTP proxy.", error);
                case SecretsManagerApiException.NetworkErrorCode:
                case SecretsManagerApiException.RequestTimeoutCode:
                    return new AuroraSecurityException("SecretsManagerUnreachable", FailureKind.ConnectionError,
                        $"Secrets Manager did not answer for {subject} ({secretArn}){attempts} ({error.Code}: {error.ApiMessage}). Check the network, a VPC endpoint for Secrets Manager, and the endpoint configured for it.", error);
            }

            if (error.IsThrottling)
            {
                return new AuroraSecurityException("SecretsManagerThrottled", FailureKind.ServiceError,
                    $"Secrets Manager kept throttling the read of {subject} ({secretArn}){attempts}. Run again later, when fewer requests are running.", error)
                    .WithAdvice("ThrottleLimit", "A lower -ThrottleLimit runs fewer requests at once.");
            }

            return new AuroraSecurityException("SecretsManagerServiceError", FailureKind.ServiceError,
                $"Secrets Manager {error.Operation} failed for {subject} ({secretArn}){attempts}: {error.Code}.{said}", error);
        }

        /// <summary>The cluster does not manage its master password in Secrets Manager (no MasterUserSecret in the RDS answer).</summary>
        public static AuroraSecurityException NoManagedSecret(string clusterIdentifier) =>
            new AuroraSecurityException("ManagedSecretMissing", FailureKind.InvalidOperation,
                $"Cluster '{clusterIdentifier}' has no MasterUserSecret: RDS does not manage its master password in Secrets Manager, so there is no secret to log in with. " +
                "Give -SqlCredential for this cluster, or let RDS manage the password (aws rds modify-db-cluster --manage-master-user-password).");

        /// <summary>The managed secret is not active (creating, rotating, impaired) or RDS did not say its status: never used then.</summary>
        public static AuroraSecurityException SecretNotActive(string clusterIdentifier, string secretArn, string? status) =>
            new AuroraSecurityException("ManagedSecretNotActive", FailureKind.InvalidOperation,
                status == null
                    ? $"RDS did not say the status of the master user secret of cluster '{clusterIdentifier}' ({secretArn}); an unknown status is not taken as usable, so it was not read. Run again when Get-AuroraCluster shows MasterUserSecretStatus active."
                    : $"The master user secret of cluster '{clusterIdentifier}' ({secretArn}) is '{EchoedInput.Shorten(status, 40)}', not 'active', so it was not read (a secret being created or rotated may change under the login). Run again when Get-AuroraCluster shows MasterUserSecretStatus active.");

        /// <summary>The secret holds no JSON object with a "username" and a "password" string; <paramref name="what"/> says what it holds, never its values.</summary>
        public static AuroraSecurityException NotCredentials(string subject, string secretArn, string what) =>
            new AuroraSecurityException("SecretNotCredentials", FailureKind.InvalidOperation,
                $"{Capitalize(subject)} ({secretArn}) does not hold a login: {what}. RDS writes {{\"username\": …, \"password\": …}}; restore that shape (or let RDS manage the password again).");

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
