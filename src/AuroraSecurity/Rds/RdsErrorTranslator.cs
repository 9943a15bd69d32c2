using System;

namespace AuroraSecurity.Rds
{
    /// <summary>The one place that turns RDS API errors into messages that say what happened and what to do.</summary>
    public static class RdsErrorTranslator
    {
        /// <summary>The id of a parameter group RDS says already exists (creating one whose earlier answer was lost).</summary>
        public const string ParameterGroupExistsId = "RdsParameterGroupExists";

        /// <summary>The id of a cluster no DB cluster answers to.</summary>
        public const string ClusterNotFoundId = "ClusterNotFound";

        /// <summary>No DB cluster answers to <paramref name="subject"/> ("cluster 'orders'") in the region.</summary>
        public static AuroraSecurityException ClusterNotFound(string subject, string region, Exception? innerException = null) =>
            new AuroraSecurityException(ClusterNotFoundId, FailureKind.NotFound,
                $"No DB cluster matches {subject} in {region}. Check the identifier and -Region (Get-AuroraCluster lists the Aurora MySQL clusters there).", innerException);

        /// <summary>Translates a failed call about <paramref name="subject"/> (e.g. "cluster 'orders'"); never includes credentials.</summary>
        public static AuroraSecurityException Translate(RdsApiException error, string subject, string region)
        {
            if (error == null) throw new ArgumentNullException(nameof(error));
            var attempts = error.Attempts > 1 ? " after " + error.Attempts + " attempts" : string.Empty;
            switch (error.Code)
            {
                case "DBClusterNotFoundFault":
                    return ClusterNotFound(subject, region, error);
                case "DBParameterGroupNotFound":
                case "DBClusterParameterGroupNotFound":
                    return new AuroraSecurityException("RdsParameterGroupNotFound", FailureKind.NotFound,
                        $"The DB cluster parameter group of {subject} was not found in {region}: {error.ApiMessage}", error);
                case "InvalidDBParameterGroupState":
                    return new AuroraSecurityException("RdsParameterGroupState", FailureKind.InvalidOperation,
                        $"RDS refused {error.Operation} for {subject}: {error.ApiMessage} Default groups never change; a group being changed or deleted cannot change until that ends.", error);
                case "InvalidDBClusterStateFault":
                case "InvalidDBInstanceState":
                    return new AuroraSecurityException("RdsClusterState", FailureKind.InvalidOperation,
                        $"RDS refused {error.Operation} for {subject}: {error.ApiMessage} Wait until the cluster and its instances are available, then run again.", error);
                case "DBParameterGroupAlreadyExists":
                    return new AuroraSecurityException(ParameterGroupExistsId, FailureKind.InvalidOperation,
                        $"RDS refused {error.Operation} for {subject}: {error.ApiMessage}", error);
                case "SignatureDoesNotMatch":
                case "InvalidClientTokenId":
                case "UnrecognizedClientException":
                case "IncompleteSignature":
                case "MissingAuthenticationToken":
                    return new AuroraSecurityException("RdsAuthenticationFailed", FailureKind.SecurityError,
                        $"RDS refused the credentials while reading {subject} ({error.Code}). Check -AccessKey/-SecretKey or -ProfileName, and that -Region matches the endpoint.", error);
                case "ExpiredToken":
                case "ExpiredTokenException":
                case "RequestExpired":
                    return new AuroraSecurityException("RdsCredentialsExpired", FailureKind.SecurityError,
                        $"RDS refused the request for {subject} ({error.Code}): the session token or signature has expired. Refresh the credentials (e.g. aws sso login) and check the clock.", error);
                case "AccessDenied":
                case "AccessDeniedException":
                case "UnauthorizedOperation":
                    return new AuroraSecurityException("RdsAccessDenied", FailureKind.PermissionDenied,
                        $"The credentials may not call {error.Operation} for {subject}. Grant rds:{error.Operation} to the IAM identity.", error);
                case "InvalidParameterValue":
                case "InvalidParameterCombination":
                case "MissingParameter":
                    return new AuroraSecurityException("RdsInvalidArgument", FailureKind.InvalidArgument,
                        $"RDS rejected {error.Operation} for {subject}: {error.ApiMessage}", error);
                case RdsApiException.InvalidResponseCode:
                    return new AuroraSecurityException("RdsInvalidResponse", FailureKind.ServiceError,
                        $"RDS could not be read for {subject}: {error.ApiMessage} A proxy, a captive portal or a wrong -EndpointUrl answers like this; check -EndpointUrl, -Region and any HTTP proxy.", error);
                case RdsApiException.NetworkErrorCode:
                case RdsApiException.RequestTimeoutCode:
                    return new AuroraSecurityException("RdsUnreachable", FailureKind.ConnectionError,
                        $"RDS did not answer {error.Operation} for {subject}{attempts} ({error.Code}). Check the network, -EndpointUrl and -Region.", error);
            }

            if (error.IsThrottling)
            {
                return new AuroraSecurityException("RdsThrottled", FailureKind.ServiceError,
                    $"RDS kept throttling {error.Operation} for {subject}{attempts}. Run again later, when fewer requests are running.", error)
                    .WithAdvice("ThrottleLimit", "A lower -ThrottleLimit runs fewer requests at once.");
            }

            return new AuroraSecurityException("RdsServiceError", FailureKind.ServiceError,
                $"RDS {error.Operation} failed for {subject}{attempts}: {error.Code}: {error.ApiMessage}", error);
        }
    }
}
