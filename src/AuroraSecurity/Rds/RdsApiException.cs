using System;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// An error answer from the RDS API (or a request that could not complete), with its wire error code. The services
    /// turn it into a failure about what was asked (<see cref="RdsErrorTranslator"/>); untranslated it is RdsRequestFailed.
    /// </summary>
    public sealed class RdsApiException : AuroraSecurityException, IAwsRequestFailure
    {
        /// <summary>Code used when no HTTP answer arrived (connection dropped, DNS, TLS).</summary>
        public const string NetworkErrorCode = "NetworkError";

        /// <summary>Code used when an attempt exceeded the request timeout.</summary>
        public const string RequestTimeoutCode = "RequestTimeout";

        /// <summary>Code used when an answer arrived but is not an RDS API answer (HTML, cut short, another root element).</summary>
        public const string InvalidResponseCode = "InvalidResponse";

        public RdsApiException(string operation, string code, string apiMessage, int httpStatus, string? requestId, string? errorType = null, Exception? innerException = null)
            : base("RdsRequestFailed", FailureKind.ServiceError, Compose(operation, code, apiMessage, httpStatus, requestId), innerException)
        {
            Operation = operation;
            Code = code;
            ApiMessage = apiMessage;
            HttpStatus = httpStatus;
            RequestId = requestId;
            ErrorType = errorType;
        }

        /// <summary>The API action, e.g. DescribeDBClusters.</summary>
        public string Operation { get; }

        /// <summary>The wire error code, e.g. DBClusterNotFoundFault or Throttling.</summary>
        public string Code { get; }

        /// <summary>The message text exactly as the service sent it.</summary>
        public string ApiMessage { get; }

        /// <summary>The HTTP status, or 0 when no answer arrived.</summary>
        public int HttpStatus { get; }

        public string? RequestId { get; }

        /// <summary>Sender or Receiver, when the service said.</summary>
        public string? ErrorType { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>The endpoint that answered, for <see cref="InvalidResponseCode"/>.</summary>
        public Uri? Endpoint { get; private set; }

        /// <summary>The answer's content type, for <see cref="InvalidResponseCode"/>.</summary>
        public string? ContentType { get; private set; }

        /// <summary>An answer that is not an RDS API answer; <paramref name="body"/> says what it was in words, never its markup.</summary>
        public static RdsApiException InvalidResponse(string operation, Uri endpoint, int httpStatus, string? contentType, string body, Exception? cause = null) =>
            new RdsApiException(operation, InvalidResponseCode,
                "The endpoint " + EndpointText(endpoint) + " answered " + operation + " with HTTP " + httpStatus + ", content type " +
                (string.IsNullOrEmpty(contentType) ? "not given" : contentType) + ": " + body + ", not an RDS API answer.",
                httpStatus, null, null, null)
            {
                Endpoint = endpoint,
                ContentType = contentType,
            };

        /// <summary>The endpoint URL without any query or user information.</summary>
        public static string EndpointText(Uri endpoint) => endpoint == null ? "(none)" : endpoint.GetLeftPart(UriPartial.Path);

        public bool IsThrottling => RdsRetryPolicy.IsThrottlingCode(Code) || HttpStatus == 429;

        /// <summary>Whether another attempt may do better: a retryable status or code, no answer at all, or a timed-out attempt.</summary>
        public bool IsTransient => RdsRetryPolicy.IsRetryable(HttpStatus, Code) || Code == NetworkErrorCode || Code == RequestTimeoutCode;

        int IAwsRequestFailure.Attempts { get => Attempts; set => Attempts = value; }

        private static string Compose(string operation, string code, string apiMessage, int httpStatus, string? requestId)
        {
            var text = "RDS " + operation + " failed: " + code;
            if (!string.IsNullOrEmpty(apiMessage)) text += ": " + apiMessage;
            if (httpStatus > 0) text += " (HTTP " + httpStatus + (requestId != null ? ", request id " + requestId : string.Empty) + ")";
            return text;
        }
    }
}
