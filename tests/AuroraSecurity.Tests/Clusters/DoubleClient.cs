using System;
using System.Threading.Tasks;
using AuroraSecurity.Rds;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>An RDS double in-process and our client pointed at it with its keys.</summary>
    internal sealed class DoubleClient : IAsyncDisposable
    {
        public const string AccessKey = "AKIDCLUSTERTESTS0001";
        public const string SecretKey = "cluster-tests/secret+key";
        public const string Region = "us-east-1";

        private DoubleClient(RdsDoubleServer server, RdsQueryClient client)
        {
            Server = server;
            Client = client;
        }

        public RdsDoubleServer Server { get; }

        public RdsQueryClient Client { get; }

        /// <summary>An EC2 client (AWSSDK.EC2) for the same server, which answers DescribeSecurityGroups too.</summary>
        public AuroraSecurity.Ec2.Ec2SecurityGroupClient Ec2 => _ec2 ??= new AuroraSecurity.Ec2.Ec2SecurityGroupClient(Client.Options, Server.Endpoint);

        private AuroraSecurity.Ec2.Ec2SecurityGroupClient? _ec2;

        /// <summary>The double's answer modes every cluster-side scenario runs against (theory data).</summary>
        public static TheoryData<string> Modes => new TheoryData<string> { "full", "minimal" };

        /// <summary>Starts the double in <paramref name="mode"/>: full (every field, changes at once) or minimal (a terse RDS).</summary>
        public static async Task<DoubleClient> StartAsync(Action<RdsClientOptions>? configure = null, string secretKey = SecretKey, string mode = "full", TimeSpan? parameterDelay = null)
        {
            Needs.Require(Needs.RdsDouble);
            var server = await RdsDoubleServer.StartAsync(new RdsDoubleOptions { AccessKey = AccessKey, SecretKey = SecretKey, Region = Region });
            server.Answers.Set(mode, parameterDelay ?? (mode == "minimal" ? TimeSpan.FromMilliseconds(400) : (TimeSpan?)null));
            return new DoubleClient(server, CreateClient(server, configure, secretKey));
        }

        public static RdsQueryClient CreateClient(RdsDoubleServer server, Action<RdsClientOptions>? configure = null, string secretKey = SecretKey)
        {
            var options = new RdsClientOptions(Region, new StaticCredentialSource(new AwsCredentialSet(AccessKey, secretKey))) { EndpointUrl = server.Endpoint };
            configure?.Invoke(options);
            return new RdsQueryClient(options);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            _ec2?.Dispose();
            await Server.DisposeAsync();
        }
    }
}
