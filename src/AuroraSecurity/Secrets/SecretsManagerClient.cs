using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Secrets
{
    /// <summary>
    /// Secrets Manager's GetSecretValue over the AWS JSON 1.1 protocol (POST /, X-Amz-Target secretsmanager.GetSecretValue), SigV4-signed
    /// for service secretsmanager with the credentials, retry policy and rate limiter of the RDS client. A secret ARN's region decides the
    /// endpoint and the signing region. The answer is read into buffers that are cleared; no text of it reaches a message.
    /// </summary>
    public sealed class SecretsManagerClient : ISecretsManagerApi, IDisposable
    {
        /// <summary>The signing name and endpoint prefix of Secrets Manager.</summary>
        public const string ServiceName = "secretsmanager";

        /// <summary>The Content-Type of the AWS JSON 1.1 protocol.</summary>
        public const string JsonContentType = "application/x-amz-json-1.1";

        internal const string GetSecretValueOperation = "GetSecretValue";

        private readonly RdsClientOptions _options;
        private readonly Uri? _endpoint;
        private readonly HttpClient _http;

        /// <summary>
        /// A client with the credentials, retry policy and session rate limiter of <paramref name="context"/>; -EndpointUrl or an endpoint
        /// configured for Secrets Manager (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the profile's services section key secrets_manager
        /// or endpoint_url) serves it, otherwise the regional endpoint of each secret's region.
        /// </summary>
        public static SecretsManagerClient For(AwsContext context)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            return new SecretsManagerClient(context.CreateClientOptions(), context.SecretsManagerEndpoint);
        }

        /// <summary>Uses the region, credentials, retry policy and rate limiter of <paramref name="options"/>; <paramref name="endpoint"/> overrides the regional endpoint.</summary>
        public SecretsManagerClient(RdsClientOptions options, Uri? endpoint = null)
            : this(options, endpoint, new HttpClientHandler(), disposeHandler: true)
        {
        }

        /// <summary>Uses <paramref name="handler"/> for transport, so tests can serve answers without a network.</summary>
        public SecretsManagerClient(RdsClientOptions options, Uri? endpoint, HttpMessageHandler handler, bool disposeHandler = false)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _endpoint = endpoint;
            _http = new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler)
            {
                // Per-attempt timeouts are enforced by our own token so that a timeout can be retried.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
        }

        public void Dispose() => _http.Dispose();

        /// <summary>The regional Secrets Manager endpoint (https://secretsmanager.eu-west-1.amazonaws.com/).</summary>
        public static Uri RegionalEndpoint(string region)
        {
            RdsEndpoint.ValidateRegion(region);
            return new Uri("https://" + ServiceName + "." + region + "." + RdsEndpoint.DnsSuffix(region) + "/");
        }

        /// <summary>The endpoint and signing region for <paramref name="secretId"/>: the ARN's region when it is an ARN, else the client's.</summary>
        public (Uri Endpoint, string Region) Target(string secretId)
        {
            var arn = SecretArn.TryParse(secretId);
            var region = arn?.Region ?? _options.Region;
            return (_endpoint ?? RegionalEndpoint(region), region);
        }

        public async Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(secretId)) throw new ArgumentException("Secrets Manager needs a secret ARN or name.", nameof(secretId));
            var id = secretId.Trim();
            if (SecretArn.LooksLikeArn(id) && SecretArn.TryParse(id) == null) throw SecretArn.Invalid(id);
            // Written as botocore writes it (json.dumps: ", " and ": " separators, non-ASCII as \\u escapes).
            var body = Encoding.UTF8.GetBytes("{\"SecretId\": " + JsonString(id) + "}");
            var (endpoint, region) = Target(id);
            return await PacedRequest.SendAsync<SecretValue, SecretsManagerApiException>(_options.Retry, _options.RateLimiter, _options.SharedThrottle,
                ct => SendOnceAsync(GetSecretValueOperation, endpoint, region, body, ct), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The signed request exactly as sent (tests compare it with botocore's).</summary>
        internal HttpRequestMessage BuildSignedRequest(string operation, Uri endpoint, string region, byte[] body, AwsCredentialSet credentials) =>
            SigV4Signer.SignedPost(endpoint, body, JsonContentType, new[] { new KeyValuePair<string, string>("X-Amz-Target", ServiceName + "." + operation) },
                credentials, region, ServiceName, _options.UtcNow(), _options.UserAgent);

        private async Task<SecretValue> SendOnceAsync(string operation, Uri endpoint, string region, byte[] body, CancellationToken cancellationToken)
        {
            var credentials = await _options.Credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            using (var message = BuildSignedRequest(operation, endpoint, region, body, credentials))
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    using (var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false))
                    {
                        var bytes = response.Content == null ? new byte[0] : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        var chars = Encoding.UTF8.GetChars(bytes);
                        Array.Clear(bytes, 0, bytes.Length);
                        try
                        {
                            return Interpret(operation, endpoint, response, chars);
                        }
                        finally
                        {
                            Array.Clear(chars, 0, chars.Length);
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The Secrets Manager " + operation + " call was cancelled.", cancellationToken);
                }
                catch (OperationCanceledException e)
                {
                    throw new SecretsManagerApiException(operation, SecretsManagerApiException.RequestTimeoutCode, "No answer within " + _options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s from " + endpoint.Host + ".", 0, null, e);
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException || e is SocketException)
                {
                    throw new SecretsManagerApiException(operation, SecretsManagerApiException.NetworkErrorCode, "Could not reach " + endpoint.Host + ": " + Innermost(e).Message, 0, null, e);
                }
            }
        }

        private static SecretValue Interpret(string operation, Uri endpoint, HttpResponseMessage response, char[] text)
        {
            var status = (int)response.StatusCode;
            var contentType = response.Content?.Headers?.ContentType?.ToString();
            var requestId = Header(response, "x-amzn-RequestId");
            Dictionary<string, SecretJsonMember>? members = null;
            FormatException? malformed = null;
            var html = LooksLikeHtml(contentType, text);
            if (!html && !IsBlank(text))
            {
                try
                {
                    members = SecretJson.ReadObject(text, text.Length, keepStringArrays: true);
                }
                catch (FormatException e)
                {
                    // Proxies, captive portals and load balancers answer with HTML or cut the body short; say so, never echo it.
                    malformed = e;
                }
            }

            try
            {
                var errorType = members == null ? null : ErrorType(members, Header(response, "x-amzn-ErrorType"));
                if (status >= 200 && status < 300 && members != null && errorType == null &&
                    (members.ContainsKey("ARN") || members.ContainsKey("SecretString") || members.ContainsKey("SecretBinary")))
                {
                    return Value(members);
                }

                if (errorType != null || (members != null && Header(response, "x-amzn-ErrorType") != null))
                {
                    var code = errorType ?? ShortType(Header(response, "x-amzn-ErrorType")!);
                    var apiMessage = members != null && members.TryGetValue("message", out var m) && m.Kind == "string" ? m.Text!
                        : members != null && members.TryGetValue("Message", out var m2) && m2.Kind == "string" ? m2.Text! : string.Empty;
                    throw new SecretsManagerApiException(operation, code, apiMessage, status, requestId);
                }

                var described = Describe(contentType, text, html, malformed);
                if (status == 429 || status >= 500)
                {
                    throw new SecretsManagerApiException(operation, status == 429 ? "Throttling" : "HttpStatus" + status,
                        "Unexpected HTTP " + status + " answer from " + endpoint.GetLeftPart(UriPartial.Path) + ": " + described + ".", status, requestId);
                }

                throw new SecretsManagerApiException(operation, SecretsManagerApiException.InvalidResponseCode,
                    "The endpoint " + endpoint.GetLeftPart(UriPartial.Path) + " answered " + operation + " with HTTP " + status + ", content type " +
                    (string.IsNullOrEmpty(contentType) ? "not given" : contentType) + ": " + described + ", not a Secrets Manager answer.",
                    status, requestId, malformed);
            }
            finally
            {
                if (members != null)
                {
                    foreach (var member in members.Values) member.Clear();
                }
            }
        }

        // The answer's fields; the SecretString's characters are copied into the value's own buffer (the caller clears the members).
        private static SecretValue Value(Dictionary<string, SecretJsonMember> members)
        {
            string? Text(string name) => members.TryGetValue(name, out var m) && m.Kind == "string" ? m.Text : null;
            char[]? secret = null;
            if (members.TryGetValue("SecretString", out var s) && s.Kind == "string")
            {
                secret = new char[s.Characters!.Length];
                Array.Copy(s.Characters, secret, secret.Length);
            }

            DateTime? created = null;
            if (members.TryGetValue("CreatedDate", out var c) && c.Kind == "number" &&
                double.TryParse(c.Number, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                created = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(Math.Round(seconds * 1000));
            }

            var stages = members.TryGetValue("VersionStages", out var v) && v.Strings != null ? v.Strings : (IReadOnlyList<string>)Array.Empty<string>();
            var binary = members.TryGetValue("SecretBinary", out var b) && b.Kind == "string";
            return new SecretValue(Text("ARN"), Text("Name"), Text("VersionId"), stages, created, secret, binary);
        }

        // The error type of a JSON 1.1 error answer (__type, else the x-amzn-ErrorType header), without namespace or suffix, as botocore reads it.
        private static string? ErrorType(Dictionary<string, SecretJsonMember> members, string? header)
        {
            var type = members.TryGetValue("__type", out var t) && t.Kind == "string" ? t.Text : null;
            if (string.IsNullOrEmpty(type) && members.ContainsKey("SecretString")) return null;
            if (string.IsNullOrEmpty(type)) type = header;
            return string.IsNullOrEmpty(type) ? null : ShortType(type!);
        }

        private static string ShortType(string type)
        {
            var text = type.Trim();
            var colon = text.IndexOf(':');
            if (colon >= 0) text = text.Substring(0, colon);
            var hash = text.LastIndexOf('#');
            return hash >= 0 ? text.Substring(hash + 1) : text;
        }

        private static string? Header(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
            return null;
        }

        private static bool IsBlank(char[] text) => text.All(char.IsWhiteSpace);

        private static bool LooksLikeHtml(string? contentType, char[] text)
        {
            if (contentType != null && contentType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            var start = 0;
            while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
            var head = new string(text, start, Math.Min(14, text.Length - start));
            return head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>What the body was, in words; never its text.</summary>
        private static string Describe(string? contentType, char[] text, bool html, FormatException? malformed)
        {
            if (IsBlank(text)) return "an empty body";
            if (html) return "an HTML page";
            if (malformed != null) return "a body that is not JSON (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters; " + malformed.Message + ")";
            return "a JSON object with neither a SecretString nor an error type";
        }

        /// <summary>A JSON string literal for <paramref name="value"/>, ASCII only.</summary>
        internal static string JsonString(string value)
        {
            var sb = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < ' ' || c > '~') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }

            return sb.Append('"').ToString();
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
