using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Secrets;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tests.Rds;
using Xunit;

namespace AuroraSecurity.Tests.Secrets
{
    /// <summary>botocore, an independent client, prepares GetSecretValue; our client must send the same request, byte for byte where it is signed.</summary>
    [Trait(Needs.Key, Needs.AwsCli)]
    public sealed class SecretsManagerBotocoreTests
    {
        // Builds botocore's GetSecretValue for the same credentials, region, endpoint and clock, and prints what it would send (nothing is sent).
        private const string BotocorePrepare = Botocore.FreezeClock + @"
import json, botocore.session
from botocore.awsrequest import AWSResponse
env = os.environ
session = botocore.session.get_session()
kwargs = dict(region_name=env['REGION'], aws_access_key_id=env['AK'], aws_secret_access_key=env['SK'])
if env.get('TOKEN'): kwargs['aws_session_token'] = env['TOKEN']
if env.get('ENDPOINT'): kwargs['endpoint_url'] = env['ENDPOINT']
client = session.create_client('secretsmanager', **kwargs)
seen = {}
class _Raw:
    def stream(self, **kw): yield b''
def capture(request, **kw):
    seen['method'] = request.method
    seen['url'] = request.url
    seen['headers'] = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    seen['body'] = request.body.decode() if isinstance(request.body, bytes) else request.body
    return AWSResponse(request.url, 200, {'Content-Type': 'application/x-amz-json-1.1'}, _Raw())
client.meta.events.register('before-send.secretsmanager.GetSecretValue', capture)
try:
    client.get_secret_value(SecretId=env['SECRET_ID'])
except Exception:
    pass
print(json.dumps(seen))
";

        [Theory]
        [InlineData(SecretsManagerClientTests.Arn, null, null)]
        [InlineData(SecretsManagerClientTests.Arn, "FwoGZXIvYXdzEJr//////////wEaDH+temporary/token==", null)]
        [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-fzbbbcfk-AbCdEf", null, "http://127.0.0.1:5077/")]
        public async Task OurRequestIsTheRequestBotocorePrepares(string secretId, string? token, string? endpoint)
        {
            var handler = new FakeRdsHandler((r, n) => SecretsManagerClientTests.Secret(SecretsManagerClientTests.Login("admin", "x")));
            var keys = FakeRdsHandler.Keys(token);
            var region = SecretArn.TryParse(secretId)!.Region;
            var options = new RdsClientOptions("us-east-1", new StaticCredentialSource(keys)) { UtcNow = () => new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc) };
            using (var client = new SecretsManagerClient(options, endpoint == null ? null : new Uri(endpoint), handler))
            {
                (await client.GetSecretValueAsync(secretId)).Dispose();
            }

            var ours = Assert.Single(handler.Requests);
            var reference = JsonDocument.Parse(Botocore.Run(BotocorePrepare, new Dictionary<string, string>
            {
                ["FROZEN_TIME"] = "20240506T070809",
                ["AK"] = keys.AccessKey,
                ["SK"] = keys.SecretKey,
                ["TOKEN"] = token ?? string.Empty,
                ["REGION"] = region,
                ["ENDPOINT"] = endpoint ?? string.Empty,
                ["SECRET_ID"] = secretId,
            })).RootElement;
            var headers = reference.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);

            Assert.Equal(reference.GetProperty("method").GetString(), ours.Method);
            Assert.Equal(new Uri(reference.GetProperty("url").GetString()!), ours.Uri);
            Assert.Equal(reference.GetProperty("body").GetString(), ours.Body);
            foreach (var name in new[] { "X-Amz-Target", "Content-Type", "X-Amz-Date", "Authorization" })
            {
                Assert.Equal(headers[name], ours.Headers[name]);
            }

            Assert.Equal(token != null, headers.ContainsKey("X-Amz-Security-Token"));
            if (token != null) Assert.Equal(headers["X-Amz-Security-Token"], ours.Headers["X-Amz-Security-Token"]);
        }
    }
}
