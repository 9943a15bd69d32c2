using System;
using AuroraSecurity.Sql;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class TlsRulesTests
    {
        [Fact]
        public void OnlyVersionTwoSetsTlsVersion()
        {
            Assert.True(AuroraTlsRules.For(2).TlsVersionSettable);
            Assert.False(AuroraTlsRules.For(3).TlsVersionSettable);
            Assert.False(AuroraTlsRules.For(1).TlsVersionSettable);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(3)]
        public void NoReleaseSupportsTls13(int major)
        {
            Assert.DoesNotContain("TLSv1.3", AuroraTlsRules.For(major).SupportedProtocols);
            Assert.Equal(new[] { "TLSv1", "TLSv1.1", "TLSv1.2" }, AuroraTlsRules.For(major).SupportedProtocols);
        }

        [Fact]
        public void RequireSecureTransportExistsOnTwoAndThree()
        {
            Assert.False(AuroraTlsRules.For(1).RequireSecureTransportAvailable);
            Assert.True(AuroraTlsRules.For(2).RequireSecureTransportAvailable);
            Assert.True(AuroraTlsRules.For(3).RequireSecureTransportAvailable);
        }

        [Theory]
        [InlineData("TLSv1.2", new[] { "TLSv1.2" })]
        [InlineData("TLSv1.1", new[] { "TLSv1.1", "TLSv1.2" })]
        [InlineData("TLSv1", new[] { "TLSv1", "TLSv1.1", "TLSv1.2" })]
        [InlineData("tlsv1.0", new[] { "TLSv1", "TLSv1.1", "TLSv1.2" })]
        public void TlsVersionIsTheLowestProtocolAllowed(string value, string[] permitted) =>
            Assert.Equal(permitted, AuroraTlsRules.ProtocolsPermittedBy(value));

        [Fact]
        public void UnknownTlsVersionListsTheValues()
        {
            var error = Assert.Throws<ArgumentException>(() => AuroraTlsRules.NormalizeTlsVersion("TLSv1.3"));
            Assert.Contains("TLSv1.2", error.Message);
        }

        [Theory]
        [InlineData("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")]
        [InlineData("DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA")]
        [InlineData("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384")]
        [InlineData("tls_ecdhe_rsa_with_aes_128_gcm_sha256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]
        public void MapsOpenSslNamesToIana(string name, string iana) => Assert.Equal(iana, TlsCipherNames.ToIana(name));

        [Fact]
        public void AnUnmappableCipherIsAClearError()
        {
            var error = Assert.Throws<AuroraSecurityException>(() => TlsCipherNames.ToIana("RC4-MD5"));
            Assert.Equal("TlsCipherUnknown", error.ErrorId);
            Assert.Contains("Cannot map the cipher 'RC4-MD5'", error.Message);
        }

        [Theory]
        [InlineData("TLSv1", "TLS 1.0")]
        [InlineData("TLSv1.2", "TLS 1.2")]
        [InlineData("tls 1.3", "TLS 1.3")]
        public void NormalizesProtocolNames(string given, string expected) => Assert.Equal(expected, TlsCipherNames.NormalizeProtocol(given));
    }
}
