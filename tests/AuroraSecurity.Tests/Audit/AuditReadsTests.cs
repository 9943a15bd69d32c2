using System;
using System.Linq;
using AuroraSecurity.Audit;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests.Audit
{
    /// <summary>-Verbose of the audit says what is read and which checks need it.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public class AuditReadsTests
    {
        [Fact]
        public void EveryKindOfEvidenceSaysWhatIsReadAndHow()
        {
            var kinds = Enum.GetValues(typeof(CheckEvidence)).Cast<CheckEvidence>().ToList();
            var said = kinds.Select(AuditReads.What).ToList();
            Assert.All(said, w => Assert.Matches(@"Describe|EC2|SQL|handshakes", w));
            Assert.Equal(kinds.Count, said.Distinct().Count());
        }

        [Fact]
        public void EachCheckIsNamedOnceUnderWhatItReads()
        {
            var checks = SecurityCheckCatalog.All;
            var lines = AuditReads.Describe(checks);

            Assert.Equal(checks.Select(c => c.Evidence).Distinct().Count(), lines.Count);
            foreach (var check in checks)
            {
                Assert.Single(lines, l => l.Contains(check.Id + ",") || l.Contains(check.Id + "."));
            }

            var tls = Assert.Single(lines, l => l.Contains("DescribeDBClusterParameters)") && l.Contains("TLS settings"));
            Assert.Contains(SecurityCheckCatalog.RequireSecureTransport, tls);
        }
    }
}
