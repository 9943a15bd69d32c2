using System.Collections.Generic;
using AuroraSecurity.Audit;
using AuroraSecurity.Repair;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Repair
{
    /// <summary>A finding is repaired only with credentials of its own account: one from another account is an error for that finding.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class FindingAccountTests
    {
        private static Finding In(string account, string cluster) => new Finding
        {
            CheckId = SecurityCheckCatalog.RequireSecureTransport,
            ClusterIdentifier = cluster,
            DBClusterArn = $"arn:aws:rds:us-east-1:{account}:cluster:{cluster}",
            Region = "us-east-1",
            Status = FindingStatus.Fail,
        };

        [Fact]
        public void AFindingOfAnotherAccountIsRefusedWithBothAccountsAndWhatToDo()
        {
            var mine = In("333333333333", "orders");
            var theirs = In("111111111111", "orders");
            var refused = new List<(Finding Finding, AuroraSecurityException Error)>();
            var kept = FindingRepairPlanner.InAccount(new[] { theirs, mine }, "333333333333", "arn:aws:iam::333333333333:role/Repairer", (f, e) => refused.Add((f, e)));

            Assert.Equal(new[] { mine }, kept);
            var (finding, error) = Assert.Single(refused);
            Assert.Same(theirs, finding);
            Assert.Equal("FindingAccountMismatch", error.ErrorId);
            Assert.Contains("this finding is from account 111111111111; the role is in account 333333333333", error.Message);
            Assert.Contains("pipe each account's findings with its own -RoleArn", error.Message);
        }

        [Fact]
        public void WithoutAKnownAccountNothingIsRefused()
        {
            var findings = new[] { In("111111111111", "orders"), new Finding { CheckId = SecurityCheckCatalog.TlsVersion, ClusterIdentifier = "legacy" } };
            var refused = 0;
            Assert.Equal(findings, FindingRepairPlanner.InAccount(findings, null, null, (f, e) => refused++));
            Assert.Equal(0, refused);
        }
    }
}
