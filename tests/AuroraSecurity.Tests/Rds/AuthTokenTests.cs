using System;
using System.Collections.Generic;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Rds
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class AuthTokenTests
    {
        private const string BotocoreToken = Botocore.FreezeClock + @"
import botocore.session
env = os.environ
session = botocore.session.get_session()
session.set_credentials(env['AK'], env['SK'], env.get('TOKEN') or None)
client = session.create_client('rds', region_name=env['REGION'])
print(client.generate_db_auth_token(env['HOST'], int(env['PORT']), env['DBUSER']))
";

        [Trait(Needs.Key, Needs.AwsCli)]
        [Theory]
        [InlineData(null, "orders.cluster-abc123.eu-west-1.rds.amazonaws.com", 3306, "iam_admin")]
        [InlineData("IQoJb3JpZ2luX2VjE/temporary+token==", "orders.cluster-abc123.eu-west-1.rds.amazonaws.com", 3306, "iam_admin")]
        [InlineData("tok", "db.example.internal", 443, "user with space@x")]
        public void TokenIsIdenticalToBotocoreGenerateDbAuthToken(string? token, string host, int port, string user)
        {
            var keys = FakeRdsHandler.Keys(token);
            var ours = RdsAuthTokenGenerator.Generate(keys, "eu-west-1", host, port, user, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
            var reference = Botocore.Run(BotocoreToken, new Dictionary<string, string>
            {
                ["FROZEN_TIME"] = "20240506T070809",
                ["AK"] = keys.AccessKey,
                ["SK"] = keys.SecretKey,
                ["TOKEN"] = token ?? string.Empty,
                ["REGION"] = "eu-west-1",
                ["HOST"] = host,
                ["PORT"] = port.ToString(),
                ["DBUSER"] = user,
            });

            Assert.Equal(reference, ours);
            Assert.StartsWith(host + ":" + port + "/?Action=connect&DBUser=", ours);
            Assert.Contains("X-Amz-Expires=900", ours);
            Assert.DoesNotContain("://", ours);
            Assert.Equal(token != null, ours.Contains("X-Amz-Security-Token="));
            Assert.DoesNotContain(keys.SecretKey, ours);
        }

        [Fact]
        public void RejectsMissingInputsWithClearErrors()
        {
            var keys = FakeRdsHandler.Keys();
            var now = DateTime.UtcNow;
            Assert.Throws<ArgumentException>(() => RdsAuthTokenGenerator.Generate(keys, "", "h", 3306, "u", now));
            Assert.Throws<ArgumentException>(() => RdsAuthTokenGenerator.Generate(keys, "eu-west-1", " ", 3306, "u", now));
            Assert.Throws<ArgumentOutOfRangeException>(() => RdsAuthTokenGenerator.Generate(keys, "eu-west-1", "h", 0, "u", now));
            Assert.Throws<ArgumentException>(() => RdsAuthTokenGenerator.Generate(keys, "eu-west-1", "h", 3306, "", now));
        }
    }
}
