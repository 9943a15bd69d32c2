using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>A minimal SigV4 signer for raw HTTP tests that need requests the aws CLI cannot send.</summary>
    internal static class TestSigner
    {
        public static Task<(int Status, string Body)> PostAsync(HttpClient http, Uri endpoint, string form,
            string accessKey, string secretKey, DateTime? signedAt = null, string region = "us-east-1") =>
            SendAsync(http, endpoint, form, accessKey, secretKey, signedAt, region, get: false, declaredPayloadHash: null);

        /// <summary>Signs and sends a request; with get=true the form goes in the query string (sorted there by the canonical rules).</summary>
        public static async Task<(int Status, string Body)> SendAsync(HttpClient http, Uri endpoint, string form,
            string accessKey, string secretKey, DateTime? signedAt, string region, bool get, string? declaredPayloadHash)
        {
            DateTime now = signedAt ?? DateTime.UtcNow;
            string amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            string date = amzDate[..8];
            string host = endpoint.Authority;
            const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
            string body = get ? "" : form;
            string payloadHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
            string canonicalQuery = get
                ? string.Join('&', form.Split('&').OrderBy(p => p.Split('=')[0], StringComparer.Ordinal).ThenBy(p => p, StringComparer.Ordinal))
                : "";
            string headerBlock = (get ? "" : "content-type:" + contentType + "\n") + "host:" + host + "\nx-amz-date:" + amzDate + "\n" +
                                 (declaredPayloadHash is null ? "" : "x-amz-content-sha256:" + declaredPayloadHash + "\n");
            string signedHeaders = (get ? "" : "content-type;") + "host;x-amz-date" + (declaredPayloadHash is null ? "" : ";x-amz-content-sha256");
            if (declaredPayloadHash is not null)
            {
                headerBlock = (get ? "" : "content-type:" + contentType + "\n") + "host:" + host + "\nx-amz-content-sha256:" + declaredPayloadHash +
                              "\nx-amz-date:" + amzDate + "\n";
                signedHeaders = (get ? "" : "content-type;") + "host;x-amz-content-sha256;x-amz-date";
            }
            string canonical = (get ? "GET" : "POST") + "\n/\n" + canonicalQuery + "\n" + headerBlock + "\n" + signedHeaders + "\n" +
                               (declaredPayloadHash ?? payloadHash);
            string scope = $"{date}/{region}/rds/aws4_request";
            string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
            foreach (string part in new[] { date, region, "rds", "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));

            using var request = new HttpRequestMessage(get ? HttpMethod.Get : HttpMethod.Post, get ? new Uri(endpoint, "?" + form) : endpoint);
            if (!get)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            if (declaredPayloadHash is not null) request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", declaredPayloadHash);
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
            using HttpResponseMessage response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public static string Form(params (string Key, string Value)[] pairs) =>
            string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

        private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
    }
}
