using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class SigV4Tests
    {
        private const string BotocoreSign = Botocore.FreezeClock + @"
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
env = os.environ
creds = Credentials(env['AK'], env['SK'], env.get('TOKEN') or None)
req = AWSRequest(method='POST', url=env['URL'], data=env['BODY'].encode('utf-8'), headers={'Content-Type': env['CONTENT_TYPE']})
SigV4Auth(creds, 'rds', env['REGION']).add_auth(req)
print(req.headers['Authorization'])
print(req.headers['X-Amz-Date'])
";

        [Trait(Needs.Key, Needs.AwsCli)]
        [Theory]
        [InlineData(null, "https://rds.eu-west-1.amazonaws.com/")]
        [InlineData("FwoGZXIvYXdzEJr//////////wEaDH+temporary/token==", "https://rds.eu-west-1.amazonaws.com/")]
        [InlineData(null, "http://127.0.0.1:5077/")]
        [InlineData("session-token", "http://localhost:5077/rds/")]
        public async Task ClientRequestIsSignedExactlyAsBotocoreSignsIt(string? token, string endpoint)
        {
            var handler = new FakeRdsHandler((r, n) => FakeRdsHandler.Ok("DescribeDBClusters", "<DBClusters/>"));
            var keys = FakeRdsHandler.Keys(token);
            using (var client = FakeRdsHandler.Client(handler, keys, configure: o => o.EndpointUrl = new Uri(endpoint)))
            {
                await client.DescribeDBClustersAsync(null, new[] { new RdsFilter("engine", "aurora-mysql", "aurora") });
            }

            var sent = Assert.Single(handler.Requests);
            Assert.Equal("POST", sent.Method);
            Assert.Equal("20240506T070809Z", sent.Headers["X-Amz-Date"]);
            if (token != null) Assert.Equal(token, sent.Headers["X-Amz-Security-Token"]);
            else Assert.False(sent.Headers.ContainsKey("X-Amz-Security-Token"));

            var reference = Botocore.Run(BotocoreSign, new Dictionary<string, string>
            {
                ["FROZEN_TIME"] = "20240506T070809",
                ["AK"] = keys.AccessKey,
                ["SK"] = keys.SecretKey,
                ["TOKEN"] = token ?? string.Empty,
                ["URL"] = endpoint,
                ["BODY"] = sent.Body,
                ["CONTENT_TYPE"] = sent.Headers["Content-Type"],
                ["REGION"] = "eu-west-1",
            }).Split('\n');

            Assert.Equal("20240506T070809Z", reference[1].Trim());
            Assert.Equal(reference[0].Trim(), sent.Headers["Authorization"]);
        }

        [Trait(Needs.Key, Needs.AwsCli)]
        [Fact]
        public void SignerMatchesBotocoreForUnusualBodyCharacters()
        {
            var body = "Action=DescribeDBClusters&Version=2014-10-31&Filters.Filter.1.Values.Value.1=" + SigV4Signer.UriEncode("a b/c+d=é~*");
            var keys = FakeRdsHandler.Keys("t0ken");
            var uri = new Uri("https://rds.cn-north-1.amazonaws.com.cn/");
            var ours = SigV4Signer.CreateAuthorizationHeader(
                "POST",
                uri,
                new[]
                {
                    new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    new KeyValuePair<string, string>("Host", SigV4Signer.HostHeader(uri)),
                    new KeyValuePair<string, string>("X-Amz-Date", "20231231T235959Z"),
                    new KeyValuePair<string, string>("X-Amz-Security-Token", "t0ken"),
                },
                Encoding.UTF8.GetBytes(body),
                keys,
                "cn-north-1",
                "rds",
                new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Utc));

            var reference = Botocore.Run(BotocoreSign, new Dictionary<string, string>
            {
                ["FROZEN_TIME"] = "20231231T235959",
                ["AK"] = keys.AccessKey,
                ["SK"] = keys.SecretKey,
                ["TOKEN"] = "t0ken",
                ["URL"] = uri.ToString(),
                ["BODY"] = body,
                ["CONTENT_TYPE"] = "application/x-www-form-urlencoded; charset=utf-8",
                ["REGION"] = "cn-north-1",
            }).Split('\n');

            Assert.Equal(reference[0].Trim(), ours);
        }

        [Fact]
        public void KnownAnswerFromThePublishedSigv4Example()
        {
            // The signing-key derivation example AWS documents for service iam, 2015-08-30.
            var keys = new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
            var uri = new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
            var header = SigV4Signer.CreateAuthorizationHeader(
                "GET",
                uri,
                new[]
                {
                    new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    new KeyValuePair<string, string>("Host", "iam.amazonaws.com"),
                    new KeyValuePair<string, string>("X-Amz-Date", "20150830T123600Z"),
                },
                Array.Empty<byte>(),
                keys,
                "us-east-1",
                "iam",
                new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));
            Assert.Equal(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                header);
        }
    }
}
