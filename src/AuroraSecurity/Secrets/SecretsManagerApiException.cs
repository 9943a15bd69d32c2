using System;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Secrets
{
    /// <summary>
    /// An error answer from Secrets Manager (or a request that could not complete), with its wire error type. It never carries the secret:
    /// only error answers, which hold none, and descriptions of answers in words. <see cref="SecretsManagerErrorTranslator"/> makes it a message about what was asked.
    /// </summary>
    public sealed class SecretsManagerApiException : AuroraSecurityException, IAwsRequestFailure
    {
        /// <summary>Code used when no HTTP answer arrived (connection dropped, DNS, TLS).</summary>
        public const string NetworkErrorCode = "NetworkError";

        /// <summary>Code used when an attempt exceeded the request timeout.</summary>
        public const string RequestTimeoutCode = "RequestTimeout";

        /// <summary>Code used when an answer arrived but is not a Secrets Manager answer (HTML, cut short, not JSON).</summary>
        public const string InvalidResponseCode = "InvalidResponse";

        public SecretsManagerApiException(string operation, string code, string apiMessage, int httpStatus, string? requestId, Exception? innerException = null)
            : base("SecretsManagerRequestFailed", FailureKind.ServiceError, Compose(operation, code, apiMessage, httpStatus, requestId), innerException)
        {
            Operation = operation;
            Code = code;
            ApiMessage = apiMessage;
            HttpStatus = httpStatus;
            RequestId = requestId;
        }

        /// <summary>The API operation, e.g. GetSecretValue.</summary>
        public string Operation { get; }

        /// <summary>The error type without its namespace, e.g. ResourceNotFoundException.</summary>
        public string Code { get; }

        /// <summary>The service's message (an error answer holds no secret), or a description of a malformed answer in words.</summary>
        public string ApiMessage { get; }

        /// <summary>The HTTP status, or 0 when no answer arrived.</summary>
        public int HttpStatus { get; }

        public string? RequestId { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; internal set; } = 1;

        public bool IsThrottling => Rds.RdsRetryPolicy.IsThrottlingCode(Code) || HttpStatus == 429;

        /// <summary>Whether another attempt may do better: a retryable status or code, no answer at all, or a timed-out attempt.</summary>
        public bool IsTransient => RdsRetryPolicy.IsRetryable(HttpStatus, Code) || Code == NetworkErrorCode || Code == RequestTimeoutCode;

        int IAwsRequestFailure.Attempts { get => Attempts; set => Attempts = value; }

        private static string Compose(string operation, string code, string apiMessage, int httpStatus, string? requestId)
        {
            var text = "Secrets Manager " + operation + " failed: " + code;
            if (!string.IsNullOrEmpty(apiMessage)) text += ": " + apiMessage;
            if (httpStatus > 0) text += " (HTTP " + httpStatus + (requestId != null ? ", request id " + requestId : string.Empty) + ")";
            return text;
        }
    }
}
