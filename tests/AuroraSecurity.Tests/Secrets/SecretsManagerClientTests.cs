using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Secrets;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Rds;
using Xunit;

namespace AuroraSecurity.Tests.Secrets
{
    /// <summary>The Secrets Manager client and the managed master login: what is sent, what is read, and every failure's message (never the secret).</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class SecretsManagerClientTests
    {
        internal const string Arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf";
        internal const string Canary = "Canary-Pw-7f3\"q\\u00e9";
        private static readonly DateTime Now = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);

        internal static HttpResponseMessage Json(HttpStatusCode status, string json, string contentType = SecretsManagerClient.JsonContentType)
        {
            var answer = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8) };
            answer.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            answer.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-1");
            return answer;
        }

        internal static HttpResponseMessage Secret(string secretString) => Json(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ARN"] = Arn,
            ["Name"] = "rds!cluster-0a1b2c3d",
            ["VersionId"] = "v-1",
            ["SecretString"] = secretString,
            ["VersionStages"] = new[] { "AWSCURRENT" },
            ["CreatedDate"] = 1523477145.713,
        }));

        internal static string Login(string user, string password) => JsonSerializer.Serialize(new Dictionary<string, object> { ["username"] = user, ["password"] = password, ["engine"] = "mysql", ["port"] = 3306 });

        internal static HttpResponseMessage Error(string type, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            Json(status, "{\"__type\":\"com.amazonaws.secretsmanager#" + type + "\",\"Message\":" + JsonSerializer.Serialize(message) + "}");

        private static SecretsManagerClient Client(FakeRdsHandler handler, AwsCredentialSet? keys = null, Uri? endpoint = null, RdsRetryPolicy? retry = null) =>
            new SecretsManagerClient(new RdsClientOptions("us-east-1", new StaticCredentialSource(keys ?? FakeRdsHandler.Keys()))
            {
                UtcNow = () => Now,
                Retry = retry ?? new RdsRetryPolicy(3, TimeSpan.Zero, TimeSpan.Zero),
            }, endpoint, handler);

        private static string Reveal(SecureString secret)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Marshal.PtrToStringUni(pointer)!;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        private static async Task<AuroraSecurityException> FailureOf(Func<HttpResponseMessage> answer, string status = "active", string? arn = Arn)
        {
            var handler = new FakeRdsHandler((r, n) => answer());
            using var client = Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", arn, status));
            for (Exception? x = e; x != null; x = x.InnerException)
            {
                Assert.DoesNotContain("Canary-Pw", x.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain("Canary-Pw", x.Message, StringComparison.Ordinal);
            }

            return e;
        }

        [Fact]
        public async Task GetSecretValueIsAJsonPostSignedForSecretsManagerInTheRegionOfTheSecretArn()
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", "x")));
            using (var client = Client(handler, FakeRdsHandler.Keys("session-token")))
            using (var value = await client.GetSecretValueAsync(Arn))
            {
                Assert.True(value.HasSecretString);
            }

            var sent = Assert.Single(handler.Requests);
            Assert.Equal("POST", sent.Method);
            Assert.Equal(new Uri("https://secretsmanager.eu-central-1.amazonaws.com/"), sent.Uri);
            Assert.Equal("secretsmanager.GetSecretValue", sent.Headers["X-Amz-Target"]);
            Assert.Equal("application/x-amz-json-1.1", sent.Headers["Content-Type"]);
            Assert.Equal("{\"SecretId\": \"" + Arn + "\"}", sent.Body);
            Assert.Equal("session-token", sent.Headers["X-Amz-Security-Token"]);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/eu-central-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=", sent.Headers["Authorization"]);
        }

        [Fact]
        public async Task AnEndpointOverrideServesEverySecretAndANameIsSignedForTheClientsRegion()
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", "x")));
            using (var client = Client(handler, endpoint: new Uri("http://127.0.0.1:4566/")))
            {
                (await client.GetSecretValueAsync("orders-admin")).Dispose();
                (await client.GetSecretValueAsync(Arn)).Dispose();
            }

            Assert.All(handler.Requests, r => Assert.Equal(new Uri("http://127.0.0.1:4566/"), r.Uri));
            Assert.Contains("/us-east-1/secretsmanager/", handler.Requests[0].Headers["Authorization"]);
            Assert.Contains("/eu-central-1/secretsmanager/", handler.Requests[1].Headers["Authorization"]);
            Assert.Equal(new Uri("https://secretsmanager.cn-north-1.amazonaws.com.cn/"), SecretsManagerClient.RegionalEndpoint("cn-north-1"));
        }

        [Fact]
        public async Task TheAnswersFieldsAndTheLoginAreReadAndThePasswordIsOnlyASecureString()
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", Canary)));
            using var client = Client(handler);
            using (var value = await client.GetSecretValueAsync(Arn))
            {
                Assert.Equal(Arn, value.Arn);
                Assert.Equal("rds!cluster-0a1b2c3d", value.Name);
                Assert.Equal("v-1", value.VersionId);
                Assert.Equal(new[] { "AWSCURRENT" }, value.VersionStages);
                Assert.Equal(new DateTime(2018, 4, 11, 20, 5, 45, 713, DateTimeKind.Utc), value.CreatedDate);
                Assert.DoesNotContain("Canary", value.ToString());
            }

            using var login = await ManagedMasterSecret.ReadAsync(client, "orders", Arn, "active");
            Assert.Equal("admin", login.UserName);
            Assert.Equal(Canary, Reveal(login.Password));
            Assert.True(login.Password.IsReadOnly());
            Assert.Equal("v-1", login.VersionId);
            Assert.DoesNotContain("Canary", login.ToString());
        }

        [Fact]
        public async Task DisposingTheSecretValueClearsItsBuffer()
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", Canary)));
            using var client = Client(handler);
            var value = await client.GetSecretValueAsync(Arn);
            var buffer = value.SecretStringCharacters!;
            Assert.Contains("Canary", new string(buffer));
            value.Dispose();
            Assert.False(value.HasSecretString);
            Assert.All(buffer, c => Assert.Equal('\0', c));
        }

        [Fact]
        public async Task AccessDeniedNamesTheActionAndKmsDecrypt()
        {
            var e = await FailureOf(() => Error("AccessDeniedException", "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: secretsmanager:GetSecretValue on resource: " + Arn));
            Assert.Equal("SecretAccessDenied", e.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, e.Kind);
            Assert.Contains("secretsmanager:GetSecretValue", e.Message);
            Assert.Contains("kms:Decrypt", e.Message);
            Assert.Contains("kms:ViaService = secretsmanager.eu-central-1.amazonaws.com", e.Message);
            Assert.Contains("cluster 'orders'", e.Message);
            Assert.Contains("user/auditor", e.Message);
        }

        [Theory]
        [InlineData("ResourceNotFoundException", "SecretNotFound", "Secrets Manager has no secret")]
        [InlineData("DecryptionFailure", "SecretDecryptionFailed", "kms:Decrypt")]
        [InlineData("InvalidRequestException", "SecretRequestRefused", "scheduled for deletion")]
        [InlineData("UnrecognizedClientException", "SecretsManagerAuthenticationFailed", "refused the credentials")]
        [InlineData("ExpiredTokenException", "SecretsManagerCredentialsExpired", "expired")]
        [InlineData("SomethingNewException", "SecretsManagerServiceError", "SomethingNewException")]
        public async Task EachErrorTypeHasItsOwnStableId(string type, string errorId, string said)
        {
            var e = await FailureOf(() => Error(type, "what the service said"));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Contains(said, e.Message);
            Assert.Contains(Arn, e.Message);
            var inner = Assert.IsType<SecretsManagerApiException>(e.InnerException);
            Assert.Equal(type, inner.Code);
        }

        [Fact]
        public async Task TheErrorTypeHeaderServesWhenTheBodyHasNoType()
        {
            var e = await FailureOf(() =>
            {
                var answer = Json(HttpStatusCode.BadRequest, "{\"message\":\"The security token included in the request is invalid.\"}");
                answer.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/");
                return answer;
            });
            Assert.Equal("SecretsManagerAuthenticationFailed", e.ErrorId);
        }

        [Theory]
        [InlineData("{\"user\":\"admin\",\"pass\":\"Canary-Pw-1\"}", "\"username\" or \"password\"", "its members: pass, user")]
        [InlineData("{\"username\":\"admin\"}", "\"password\"", "its members: username")]
        [InlineData("{\"username\":\"admin\",\"password\":\"\"}", "\"password\"", "its members: password, username")]
        [InlineData("{\"username\":\"admin\",\"password\":12345}", "\"password\"", "its members")]
        [InlineData("Canary-Pw-plain-text", "not JSON", "character 1 of 20")]
        [InlineData("{\"username\":\"admin\",\"password\":\"Canary-Pw-2", "not JSON", "closing quote")]
        public async Task ASecretWithoutAUsernameAndPasswordIsSaidSoWithoutItsValues(string secretString, string what, string where)
        {
            var e = await FailureOf(() => Secret(secretString));
            Assert.Equal("SecretNotCredentials", e.ErrorId);
            Assert.Contains(what, e.Message);
            Assert.Contains(where, e.Message);
            Assert.DoesNotContain("Canary", e.ToString());
        }

        [Fact]
        public async Task ABinarySecretIsNotALogin()
        {
            var e = await FailureOf(() => Json(HttpStatusCode.OK, "{\"ARN\":\"" + Arn + "\",\"Name\":\"n\",\"SecretBinary\":\"Q2FuYXJ5LVB3\",\"VersionStages\":[\"AWSCURRENT\"]}"));
            Assert.Equal("SecretNotCredentials", e.ErrorId);
            Assert.Contains("binary secret", e.Message);
        }

        [Theory]
        [InlineData("<!DOCTYPE html><html><body>Proxy login Canary-Pw-3</body></html>", "text/html", 200, "an HTML page")]
        [InlineData("<html><body>Canary-Pw-4</body></html>", "text/plain", 403, "an HTML page")]
        [InlineData("Canary-Pw-5 garbage", "application/octet-stream", 200, "not JSON")]
        [InlineData("", "text/plain", 200, "an empty body")]
        [InlineData("{\"unexpected\":\"Canary-Pw-6\"}", "application/json", 200, "neither a SecretString nor an error type")]
        public async Task AnAnswerThatIsNotSecretsManagersIsDescribedInWordsNeverEchoed(string body, string contentType, int status, string described)
        {
            var e = await FailureOf(() => Json((HttpStatusCode)status, body, contentType));
            Assert.Equal("SecretsManagerInvalidResponse", e.ErrorId);
            Assert.Contains(described, e.Message);
            Assert.DoesNotContain("<", e.Message);
            Assert.DoesNotContain("Canary", e.ToString());
        }

        [Fact]
        public async Task ServerErrorsAndThrottlingAreRetriedThenSucceed()
        {
            var handler = new FakeRdsHandler((r, n) => n == 0 ? Json(HttpStatusCode.InternalServerError, "{\"__type\":\"InternalServiceError\",\"Message\":\"x\"}")
                : n == 1 ? Error("ThrottlingException", "Rate exceeded") : Secret(Login("admin", "pw")));
            using var client = Client(handler);
            using var login = await ManagedMasterSecret.ReadAsync(client, "orders", Arn, "active");
            Assert.Equal("admin", login.UserName);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task ThrottlingThatNeverEndsSaysSoAfterTheAttempts()
        {
            var handler = new FakeRdsHandler((r, n) => Error("ThrottlingException", "Rate exceeded"));
            using var client = new SecretsManagerClient(new RdsClientOptions("us-east-1", new StaticCredentialSource(FakeRdsHandler.Keys())) { Retry = new RdsRetryPolicy(2, TimeSpan.Zero, TimeSpan.Zero, 3) }, null, handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", Arn, "active"));
            Assert.Equal("SecretsManagerThrottled", e.ErrorId);
            Assert.Contains("after 3 attempts", e.Message);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task AClusterWithoutAManagedSecretIsSaidSoAndNothingIsSent()
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", "pw")));
            using var client = Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", null, null));
            Assert.Equal("ManagedSecretMissing", e.ErrorId);
            Assert.Contains("no MasterUserSecret", e.Message);
            Assert.Contains("-SqlCredential", e.Message);
            Assert.Empty(handler.Requests);
        }

        [Theory]
        [InlineData("rotating", "'rotating', not 'active'")]
        [InlineData("creating", "'creating', not 'active'")]
        [InlineData("impaired", "'impaired', not 'active'")]
        [InlineData(null, "did not say the status")]
        [InlineData("", "did not say the status")]
        public async Task ASecretThatIsNotActiveOrOfUnknownStatusIsNeverRead(string? status, string said)
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", "pw")));
            using var client = Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", Arn, status));
            Assert.Equal("ManagedSecretNotActive", e.ErrorId);
            Assert.Contains(said, e.Message);
            Assert.Empty(handler.Requests);
        }

        [Theory]
        [InlineData("arn:aws:rds:us-east-1:123456789012:cluster:orders")]
        [InlineData("arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf")]
        [InlineData("arn:aws:secretsmanager:us-east-1:1234:secret:x-AbCdEf")]
        public async Task AnArnThatIsNotASecretsIsRefusedBeforeAnyRequest(string arn)
        {
            var handler = new FakeRdsHandler((r, n) => Secret(Login("admin", "pw")));
            using var client = Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", arn, "active"));
            Assert.Equal("SecretArnInvalid", e.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task ALostConnectionIsRetriedThenSaidUnreachable()
        {
            var handler = new FakeRdsHandler((r, n) => throw new HttpRequestException("Connection refused"));
            using var client = Client(handler);
            var e = await Assert.ThrowsAsync<AuroraSecurityException>(() => ManagedMasterSecret.ReadAsync(client, "orders", Arn, "active"));
            Assert.Equal("SecretsManagerUnreachable", e.ErrorId);
            Assert.Contains("after 3 attempts", e.Message);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task CancellationStopsBeforeTheNextAttempt()
        {
            using var cts = new CancellationTokenSource();
            var handler = new FakeRdsHandler((r, n) =>
            {
                cts.Cancel();
                return Json(HttpStatusCode.InternalServerError, "{\"__type\":\"InternalServiceError\"}");
            });
            using var client = Client(handler);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetSecretValueAsync(Arn, cts.Token));
            Assert.Single(handler.Requests);
        }

        [Theory]
        [InlineData("{\"a\":[\"x\",{\"b\":[1,2,{\"c\":null}]}],\"d\":true,\"e\":-1.5e3,\"f\":\"\\u0041\\n\\\"\"}", "a,d,e,f")]
        [InlineData(" \uFEFF{}", "")]
        public void TheScannerReadsTopLevelMembersAndSkipsNestedValues(string json, string names)
        {
            var chars = json.ToCharArray();
            var members = SecretJson.ReadObject(chars, chars.Length);
            Assert.Equal(names, string.Join(",", members.Keys.OrderBy(k => k, StringComparer.Ordinal)));
            if (members.TryGetValue("f", out var f)) Assert.Equal("A\n\"", f.Text);
            if (members.TryGetValue("e", out var e)) Assert.Equal("-1.5e3", e.Number);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"a\":1,}")]
        [InlineData("{\"a\":\"\\x\"}")]
        [InlineData("{\"a\":1} tail")]
        [InlineData("{\"a\":tru}")]
        public void TheScannerRefusesWhatIsNotOneObjectAndSaysWhereNotWhat(string json)
        {
            var chars = json.ToCharArray();
            var e = Assert.Throws<FormatException>(() => SecretJson.ReadObject(chars, chars.Length));
            Assert.StartsWith("not JSON: expected ", e.Message);
            Assert.Contains(" of " + json.Length, e.Message);
        }
    }
}
