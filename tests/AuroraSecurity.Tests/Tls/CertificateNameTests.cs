using System;
using System.IO;
using System.Linq;
using System.Net;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class CertificateNameTests
    {
        [Fact]
        public void SanParsingReadsDnsNamesAndAddressesOfARealCertificate()
        {
            using var ca = TestCertificates.NewCa("Names CA");
            using var server = TestCertificates.NewServer(ca, "demo-instance-1.abc123.us-east-1.rds.amazonaws.com",
                new[] { "localhost", "demo.cluster-abc123.us-east-1.rds.amazonaws.com" },
                new[] { IPAddress.Parse("127.0.0.1"), IPAddress.Parse("::1") });

            var names = SubjectAlternativeNames.From(server);

            Assert.True(names.Present);
            Assert.Equal(new[] { "localhost", "demo.cluster-abc123.us-east-1.rds.amazonaws.com" }, names.DnsNames);
            Assert.Equal(new[] { IPAddress.Parse("127.0.0.1"), IPAddress.Parse("::1") }, names.IpAddresses);
            Assert.Equal(new[] { "DNS:localhost", "DNS:demo.cluster-abc123.us-east-1.rds.amazonaws.com", "IP:127.0.0.1", "IP:::1" }, names.ToDisplayList());
        }

        [Fact]
        public void SanParsingSkipsOtherNameKindsAndHandlesLongLengths()
        {
            // SEQUENCE (long form length) { [1] rfc822Name "a@b", [2] "x.example.com", [7] 10.0.0.1, [6] URI "u:" , [2] 200-byte name }
            var longName = new string('a', 60) + "." + new string('b', 60) + "." + new string('c', 60) + ".example.com";
            var body = new System.Collections.Generic.List<byte>();
            body.AddRange(new byte[] { 0x81, 3, (byte)'a', (byte)'@', (byte)'b' });
            body.Add(0x82); body.Add(13); body.AddRange(System.Text.Encoding.ASCII.GetBytes("x.example.com"));
            body.AddRange(new byte[] { 0x87, 4, 10, 0, 0, 1 });
            body.AddRange(new byte[] { 0x86, 2, (byte)'u', (byte)':' });
            body.Add(0x82); body.Add(0x81); body.Add((byte)longName.Length); body.AddRange(System.Text.Encoding.ASCII.GetBytes(longName));
            var der = new[] { (byte)0x30, (byte)0x81, (byte)body.Count }.Concat(body).ToArray();

            var names = SubjectAlternativeNames.Parse(der);

            Assert.Equal(new[] { "x.example.com", longName }, names.DnsNames);
            Assert.Equal(new[] { IPAddress.Parse("10.0.0.1") }, names.IpAddresses);
        }

        [Fact]
        public void SanParsingRejectsTruncatedDer()
        {
            Assert.Throws<InvalidDataException>(() => SubjectAlternativeNames.Parse(new byte[] { 0x30, 0x10, 0x82, 0x05, (byte)'a' }));
            Assert.Throws<InvalidDataException>(() => SubjectAlternativeNames.Parse(new byte[] { 0x04, 0x00 }));
        }

        [Fact]
        public void ACertificateWithoutSanHasAnEmptyList()
        {
            using var ca = TestCertificates.NewCa("Names CA");
            using var server = TestCertificates.NewServer(ca, "localhost", Array.Empty<string>(), Array.Empty<IPAddress>());

            var names = SubjectAlternativeNames.From(server);

            Assert.False(names.Present);
            Assert.Empty(names.DnsNames);
        }

        [Theory]
        [InlineData("*.abc123.us-east-1.rds.amazonaws.com", "demo.abc123.us-east-1.rds.amazonaws.com", true)]
        [InlineData("*.abc123.us-east-1.rds.amazonaws.com", "DEMO.abc123.us-east-1.rds.amazonaws.com.", true)]
        [InlineData("*.abc123.us-east-1.rds.amazonaws.com", "a.b.abc123.us-east-1.rds.amazonaws.com", false)]
        [InlineData("*.abc123.us-east-1.rds.amazonaws.com", "abc123.us-east-1.rds.amazonaws.com", false)]
        [InlineData("*.com", "example.com", false)]
        [InlineData("*.example.com", "example.com", false)]
        [InlineData("db*.example.com", "db1.example.com", true)]
        [InlineData("db*.example.com", "web1.example.com", false)]
        [InlineData("*1.example.com", "db1.example.com", true)]
        [InlineData("db*.example.com", "xn--db-abc.example.com", false)]
        [InlineData("a.*.example.com", "a.b.example.com", false)]
        [InlineData("**.example.com", "a.example.com", false)]
        [InlineData("localhost", "localhost", true)]
        [InlineData("localhost", "localhost2", false)]
        public void WildcardsFollowRfc6125(string pattern, string host, bool expected)
        {
            Assert.Equal(expected, HostNameMatcher.MatchesDnsName(pattern, host));
        }

        [Fact]
        public void SanWinsAndTheCommonNameIsIgnoredWhenDnsNamesExist()
        {
            using var ca = TestCertificates.NewCa("Names CA");
            using var server = TestCertificates.NewServer(ca, "demo-instance-1.abc123.us-east-1.rds.amazonaws.com",
                new[] { "demo.cluster-abc123.us-east-1.rds.amazonaws.com" }, new[] { IPAddress.Loopback });
            var names = SubjectAlternativeNames.From(server);
            const string Cn = "demo-instance-1.abc123.us-east-1.rds.amazonaws.com";

            Assert.Equal(CertificateNameMatch.SAN, HostNameMatcher.Match("demo.cluster-abc123.us-east-1.rds.amazonaws.com", names, Cn));
            Assert.Equal(CertificateNameMatch.SAN, HostNameMatcher.Match("127.0.0.1", names, Cn));
            Assert.Equal(CertificateNameMatch.None, HostNameMatcher.Match("demo-instance-1.abc123.us-east-1.rds.amazonaws.com", names, Cn));
            Assert.Equal(CertificateNameMatch.None, HostNameMatcher.Match("10.0.0.1", names, Cn));
        }

        [Fact]
        public void TheCommonNameCountsOnlyWithoutSanDnsNamesAndNeverForAddresses()
        {
            var none = SubjectAlternativeNames.None;

            Assert.Equal(CertificateNameMatch.CN, HostNameMatcher.Match("localhost", none, "localhost"));
            Assert.Equal(CertificateNameMatch.None, HostNameMatcher.Match("127.0.0.1", none, "127.0.0.1"));
            Assert.Equal(CertificateNameMatch.None, HostNameMatcher.Match("other", none, "localhost"));
        }
    }
}
