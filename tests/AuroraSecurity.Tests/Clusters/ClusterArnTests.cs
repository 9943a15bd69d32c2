using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Clusters
{
    /// <summary>An ARN names one cluster of one account in one region of one partition; the service refuses any other reading of it.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class ClusterArnTests
    {
        [Theory]
        [InlineData("arn:aws:rds:eu-west-1:123456789012:cluster:orders", "aws", "eu-west-1", "123456789012", "orders")]
        [InlineData("arn:aws-cn:rds:cn-north-1:123456789012:cluster:orders", "aws-cn", "cn-north-1", "123456789012", "orders")]
        [InlineData("arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:orders-2", "aws-us-gov", "us-gov-west-1", "123456789012", "orders-2")]
        [InlineData(" arn:aws-iso-b:rds:us-isob-east-1:000000000001:cluster:x ", "aws-iso-b", "us-isob-east-1", "000000000001", "x")]
        public void ParseReadsEveryPart(string text, string partition, string region, string account, string identifier)
        {
            var arn = ClusterArn.Parse(text);
            Assert.Equal((partition, region, account, identifier), (arn.Partition, arn.Region, arn.AccountId, arn.Identifier));
        }

        [Theory]
        [InlineData("arn:aws-cn:rds:us-east-1:123456789012:cluster:orders", "partition")]
        [InlineData("arn:aws:rds:cn-north-1:123456789012:cluster:orders", "partition")]
        [InlineData("arn:aws-us-gov:rds:eu-west-1:123456789012:cluster:orders", "partition")]
        [InlineData("arn:aws-mars:rds:eu-west-1:123456789012:cluster:orders", "not an AWS partition")]
        [InlineData("arn:aws:rds:eu-west-1:1:cluster:orders", "12-digit")]
        [InlineData("arn:aws:rds:us-east-1:123456789012:db:orders-1", "not an RDS DB cluster")]
        [InlineData("arn:aws:ec2:us-east-1:123456789012:cluster:orders", "not an RDS DB cluster")]
        [InlineData("arn:aws:rds:EU_WEST:123456789012:cluster:orders", "region")]
        [InlineData("arn:aws:rds:eu-west-1:123456789012:cluster:", "no cluster identifier")]
        [InlineData("arn:aws:rds:eu-west-1:123456789012:cluster:a:b", "form")]
        public void ParseRefusesWithTheReason(string text, string reason)
        {
            var e = Assert.Throws<AuroraSecurityException>(() => ClusterArn.Parse(text));
            Assert.Equal("ClusterArnInvalid", e.ErrorId);
            Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void PartitionsFollowTheRegionPrefix()
        {
            Assert.Equal("aws", AwsPartitions.OfRegion("us-east-1"));
            Assert.Equal("aws-cn", AwsPartitions.OfRegion("cn-northwest-1"));
            Assert.Equal("aws-us-gov", AwsPartitions.OfRegion("us-gov-east-1"));
            Assert.Equal("aws-iso", AwsPartitions.OfRegion("us-iso-east-1"));
            Assert.Equal("aws-iso-b", AwsPartitions.OfRegion("us-isob-east-1"));
        }

        [Fact]
        [Trait(Needs.Key, Needs.RdsDouble)]
        public async Task ServiceRefusesAnArnOfAnotherAccountAndServesTheCallersOwn()
        {
            await using var d = await DoubleClient.StartAsync();
            var service = new AuroraClusterService(d.Client, DoubleClient.Region);
            var outcomes = await service.GetClustersAsync(new[]
            {
                "arn:aws:rds:us-east-1:999999999999:cluster:orders",
                "arn:aws:rds:us-east-1:123456789012:cluster:orders",
                "orders",
                "arn:aws:rds:eu-west-1:123456789012:cluster:billing",
            }, CancellationToken.None);

            Assert.Equal(4, outcomes.Count);
            Assert.Equal("ClusterArnAccountMismatch", outcomes[0].Error!.ErrorId);
            Assert.Equal(FailureKind.SecurityError, outcomes[0].Error!.Kind);
            Assert.Equal("orders", outcomes[1].Value!.ClusterIdentifier);
            Assert.Equal("orders", outcomes[2].Value!.ClusterIdentifier);
            Assert.Equal("ClusterArnRegionMismatch", outcomes[3].Error!.ErrorId);
            // The namesake in the caller's account was looked up once; nothing was asked about eu-west-1's billing.
            Assert.Single(d.Server.Requests, r => r.Action == "DescribeDBClusters");
        }

        [Fact]
        public void OwnerMismatchWithoutAnArnFromRdsIsUnproven()
        {
            var arn = ClusterArn.Parse("arn:aws:rds:us-east-1:123456789012:cluster:orders");
            var unknown = new AuroraCluster { ClusterIdentifier = "orders", Region = "us-east-1", DBClusterArn = null };
            Assert.Equal("ClusterArnAccountUnproven", AuroraClusterService.OwnerMismatch(arn, unknown)!.ErrorId);
            var otherPartition = new AuroraCluster { ClusterIdentifier = "orders", Region = "us-east-1", DBClusterArn = "arn:aws-cn:rds:cn-north-1:123456789012:cluster:orders" };
            Assert.Equal("ClusterArnAccountMismatch", AuroraClusterService.OwnerMismatch(arn, otherPartition)!.ErrorId);
            var same = new AuroraCluster { ClusterIdentifier = "orders", Region = "us-east-1", DBClusterArn = arn.Text };
            Assert.Null(AuroraClusterService.OwnerMismatch(arn, same));
        }

        [Theory]
        [InlineData("orders-tls", null)]
        [InlineData("A1", null)]
        [InlineData("", "empty")]
        [InlineData("1orders", "begin with a letter")]
        [InlineData("orders_tls", "only letters, digits and hyphens")]
        [InlineData("orders-", "end with a hyphen")]
        [InlineData("a--b", "two hyphens")]
        [InlineData("default.aurora-mysql8.0", "only letters")]
        public void ParameterGroupNamesFollowRdsRules(string name, string? problem)
        {
            var found = ParameterGroupNameRules.Problem(name);
            if (problem == null) Assert.Null(found);
            else Assert.Contains(problem, found!, StringComparison.Ordinal);
            Assert.NotNull(ParameterGroupNameRules.Problem(new string('a', 256)));
            Assert.Null(ParameterGroupNameRules.Problem(new string('a', 255)));
        }

        [Fact]
        public void EchoedInputIsCutAndSaysHowLongItWas()
        {
            var shown = EchoedInput.Shorten(new string('x', 100000));
            Assert.True(shown.Length < 200);
            Assert.Contains("100000 characters", shown, StringComparison.Ordinal);
            Assert.Equal("a?b", EchoedInput.Shorten("a\nb"));
        }
    }
}
