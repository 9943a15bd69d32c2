using System;
using System.Net.Http.Headers;
using System.Net.Http;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AuroraSecurity.Rds
{
    /// <summary>AWS Signature Version 4 (HMAC-SHA256) for header-signed requests and presigned URLs.</summary>
    internal static class SigV4Signer
    {
        public const string Algorithm = "AWS4-HMAC-SHA256";

        /// <summary>Builds the Authorization header value for a request whose headers are final.</summary>
        public static string CreateAuthorizationHeader(
            string method,
            Uri uri,
            IEnumerable<KeyValuePair<string, string>> headers,
            byte[] body,
            AwsCredentialSet credentials,
            string region,
            string service,
            DateTime utcNow)
        {
            var canonicalHeaders = CanonicalizeHeaders(headers);
            var signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Key));
            var canonicalRequest = string.Join("\n",
                method.ToUpperInvariant(),
                CanonicalPath(uri),
                CanonicalQuery(ParseQuery(uri.Query)),
                string.Concat(canonicalHeaders.Select(h => h.Key + ":" + h.Value + "\n")),
                signedHeaders,
                HexSha256(body));
            var signature = Sign(canonicalRequest, credentials, region, service, utcNow, out var scope);
            return Algorithm + " Credential=" + credentials.AccessKey + "/" + scope +
                   ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        }

        /// <summary>Presigns a GET for <paramref name="uri"/>; returns the query string (without '?') to append.</summary>
        public static string PresignQuery(
            Uri uri,
            IList<KeyValuePair<string, string>> query,
            AwsCredentialSet credentials,
            string region,
            string service,
            DateTime utcNow,
            TimeSpan expires)
        {
            var utc = Normalize(utcNow);
            var scope = Scope(utc, region, service);
            var parameters = new List<KeyValuePair<string, string>>(query)
            {
                Pair("X-Amz-Algorithm", Algorithm),
                Pair("X-Amz-Credential", credentials.AccessKey + "/" + scope),
                Pair("X-Amz-Date", AmzDate(utc)),
                Pair("X-Amz-Expires", ((long)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
                Pair("X-Amz-SignedHeaders", "host"),
            };
            if (credentials.SessionToken != null) parameters.Add(Pair("X-Amz-Security-Token", credentials.SessionToken));

            var canonicalRequest = string.Join("\n",
                "GET",
                CanonicalPath(uri),
                CanonicalQuery(parameters),
                "host:" + HostHeader(uri) + "\n",
                "host",
                // Presigned GETs for rds-db sign the hash of the empty body, as botocore and the RDS documentation do.
                HexSha256(new byte[0]));
            var signature = Sign(canonicalRequest, credentials, region, service, utc, out _);
            parameters.Add(Pair("X-Amz-Signature", signature));
            return string.Join("&", parameters.Select(p => UriEncode(p.Key) + "=" + UriEncode(p.Value)));
        }

        /// <summary>
        /// A POST of <paramref name="body"/> to <paramref name="endpoint"/>, signed: Content-Type, Host, X-Amz-Date, the
        /// <paramref name="amzHeaders"/> given (such as X-Amz-Target) and the session token when there is one are signed;
        /// User-Agent is sent unsigned, as the AWS SDKs send it.
        /// </summary>
        public static HttpRequestMessage SignedPost(Uri endpoint, byte[] body, string contentType, IEnumerable<KeyValuePair<string, string>> amzHeaders,
            AwsCredentialSet credentials, string region, string service, DateTime now, string userAgent)
        {
            var host = HostHeader(endpoint);
            var signed = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("Content-Type", contentType),
                new KeyValuePair<string, string>("Host", host),
                new KeyValuePair<string, string>("X-Amz-Date", AmzDate(now)),
            };
            signed.AddRange(amzHeaders);
            if (credentials.SessionToken != null) signed.Add(new KeyValuePair<string, string>("X-Amz-Security-Token", credentials.SessionToken));

            var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            message.Headers.Host = host;
            foreach (var header in signed)
            {
                if (header.Key != "Content-Type" && header.Key != "Host") message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            message.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            message.Headers.TryAddWithoutValidation("Authorization", CreateAuthorizationHeader("POST", endpoint, signed, body, credentials, region, service, now));
            return message;
        }

        public static string AmzDate(DateTime utcNow) => Normalize(utcNow).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        /// <summary>The Host header value: the port only when it is not the scheme's default.</summary>
        public static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);

        /// <summary>RFC 3986 percent-encoding with the unreserved set AWS requires.</summary>
        public static string UriEncode(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
            {
                var c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return sb.ToString();
        }

        public static string HexSha256(byte[] data)
        {
            using (var sha = SHA256.Create()) return Hex(sha.ComputeHash(data));
        }

        private static string Sign(string canonicalRequest, AwsCredentialSet credentials, string region, string service, DateTime utcNow, out string scope)
        {
            var utc = Normalize(utcNow);
            scope = Scope(utc, region, service);
            var stringToSign = Algorithm + "\n" + AmzDate(utc) + "\n" + scope + "\n" + HexSha256(Encoding.UTF8.GetBytes(canonicalRequest));
            var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretKey), utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            key = Hmac(key, region);
            key = Hmac(key, service);
            key = Hmac(key, "aws4_request");
            return Hex(Hmac(key, stringToSign));
        }

        private static string Scope(DateTime utc, string region, string service) =>
            utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "/" + region + "/" + service + "/aws4_request";

        private static DateTime Normalize(DateTime value) =>
            value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

        private static List<KeyValuePair<string, string>> CanonicalizeHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
            headers
                .GroupBy(h => h.Key.Trim().ToLowerInvariant())
                .Select(g => Pair(g.Key, string.Join(",", g.Select(h => CollapseWhitespace(h.Value)))))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .ToList();

        private static string CollapseWhitespace(string value) =>
            string.Join(" ", value.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));

        private static string CanonicalPath(Uri uri)
        {
            var path = uri.AbsolutePath;
            if (path.Length == 0) return "/";
            // Non-S3 services sign the already-escaped path escaped once more.
            return string.Join("/", path.Split('/').Select(UriEncode));
        }

        private static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
            string.Join("&", parameters
                .Select(p => Pair(UriEncode(p.Key), UriEncode(p.Value)))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));

        private static List<KeyValuePair<string, string>> ParseQuery(string query)
        {
            var result = new List<KeyValuePair<string, string>>();
            if (string.IsNullOrEmpty(query)) return result;
            foreach (var part in query.TrimStart('?').Split('&'))
            {
                if (part.Length == 0) continue;
                var eq = part.IndexOf('=');
                var key = eq < 0 ? part : part.Substring(0, eq);
                var value = eq < 0 ? string.Empty : part.Substring(eq + 1);
                result.Add(Pair(Uri.UnescapeDataString(key.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' '))));
            }

            return result;
        }

        private static byte[] Hmac(byte[] key, string data)
        {
            using (var h = new HMACSHA256(key)) return h.ComputeHash(Encoding.UTF8.GetBytes(data));
        }

        private static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}
