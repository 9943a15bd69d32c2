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
        public static async Task<(int Status, string Body)> PostAsync(HttpClient http, Uri endpoint, string form,
            string accessKey, string secretKey, DateTime? signedAt = null, string region = "us-east-1")
        {
            DateTime now = signedAt ?? DateTime.UtcNow;
            string amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            string date = amzDate[..8];
            string host = endpoint.Authority;
            const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
            string payloadHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(form)));
            string canonical = "POST\n/\n\n" + "content-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + amzDate + "\n\n" +
                               "content-type;host;x-amz-date\n" + payloadHash;
            string scope = $"{date}/{region}/rds/aws4_request";
            string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
            foreach (string part in new[] { date, region, "rds", "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));

            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders=content-type;host;x-amz-date, Signature={signature}");
            using HttpResponseMessage response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public static string Form(params (string Key, string Value)[] pairs) =>
            string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

        private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
    }
}
