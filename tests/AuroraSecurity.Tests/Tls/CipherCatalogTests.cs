using System;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class CipherCatalogTests
    {
        // Every row of the cipher table in the Aurora MySQL User Guide's security chapter: cipher, protocol, and its "Supported Aurora MySQL versions" column.
        public static TheoryData<string, string, CipherAvailability> GuideTable => new TheoryData<string, string, CipherAvailability>
        {
            { "DHE-RSA-AES128-SHA", "TLS 1.0", CipherAvailability.Dhe },
            { "DHE-RSA-AES128-SHA256", "TLS 1.2", CipherAvailability.Dhe },
            { "DHE-RSA-AES128-GCM-SHA256", "TLS 1.2", CipherAvailability.Dhe },
            { "DHE-RSA-AES256-SHA", "TLS 1.0", CipherAvailability.Dhe },
            { "DHE-RSA-AES256-SHA256", "TLS 1.2", CipherAvailability.Dhe },
            { "DHE-RSA-AES256-GCM-SHA384", "TLS 1.2", CipherAvailability.Dhe },
            { "ECDHE-RSA-AES128-SHA", "TLS 1.0", CipherAvailability.Ecdhe },
            { "ECDHE-RSA-AES128-SHA256", "TLS 1.2", CipherAvailability.Ecdhe },
            { "ECDHE-RSA-AES128-GCM-SHA256", "TLS 1.2", CipherAvailability.Ecdhe },
            { "ECDHE-RSA-AES256-SHA", "TLS 1.0", CipherAvailability.Ecdhe },
            { "ECDHE-RSA-AES256-SHA384", "TLS 1.2", CipherAvailability.Ecdhe },
            { "ECDHE-RSA-AES256-GCM-SHA384", "TLS 1.2", CipherAvailability.Ecdhe },
        };

        [Theory]
        [MemberData(nameof(GuideTable))]
        public void EveryGuideRowIsInTheCatalogue(string name, string protocol, CipherAvailability availability)
        {
            var cipher = CipherCatalog.Get(name);

            Assert.Equal(protocol, cipher.Protocol);
            Assert.Equal(availability, cipher.Availability);
        }

        [Theory]
        [MemberData(nameof(GuideTable))]
        public void EveryGuideRowFollowsItsVersionColumn(string name, string protocol, CipherAvailability availability)
        {
            Assert.NotNull(protocol);
            var cipher = CipherCatalog.Get(name);
            // "3.01.0 and higher" holds for both families.
            Assert.True(Supported(cipher, "3.01.0"));
            Assert.True(Supported(cipher, "8.0.mysql_aurora.3.05.2"));
            Assert.False(Supported(cipher, "3.00.0"));

            if (availability == CipherAvailability.Dhe)
            {
                // "all below 2.11.0"
                Assert.True(Supported(cipher, "2.07.9"));
                Assert.True(Supported(cipher, "2.10.3"));
                Assert.True(Supported(cipher, "2.10.9"));
                Assert.False(Supported(cipher, "2.11.0"));
                Assert.False(Supported(cipher, "5.7.mysql_aurora.2.12.1"));
            }
            else
            {
                // "2.09.3 and higher, 2.10.2 and higher"
                Assert.False(Supported(cipher, "2.09.2"));
                Assert.True(Supported(cipher, "2.09.3"));
                Assert.False(Supported(cipher, "2.10.0"));
                Assert.False(Supported(cipher, "2.10.1"));
                Assert.True(Supported(cipher, "2.10.2"));
                Assert.True(Supported(cipher, "2.11.0"));
                Assert.False(Supported(cipher, "2.07.9"));
            }
        }

        [Fact]
        public void TheCatalogueHoldsExactlyTheGuidesTwelveCiphers() =>
            Assert.Equal(GuideTable.Select(row => (string)row[0]), CipherCatalog.All.Select(c => c.Name));

        [Fact]
        public void DheRefusalFromTwoElevenSaysWhy()
        {
            var support = CipherCatalog.SupportFor(CipherCatalog.Get("DHE-RSA-AES256-SHA"), AuroraEngineVersion.Parse("2.11.2"));

            Assert.False(support.Supported);
            Assert.Contains("2.11.0", support.Reason);
            Assert.Contains("ECDHE", support.Reason);
        }

        [Fact]
        public void AuroraOneHasNoConfigurableCiphers()
        {
            var support = CipherCatalog.SupportFor(CipherCatalog.Get("ECDHE-RSA-AES256-SHA"), AuroraEngineVersion.Parse("5.6.10a"));

            Assert.False(support.Supported);
            Assert.Contains("version 2 and 3", support.Reason);
        }

        [Fact]
        public void UnknownNamesAreRefusedWithTheValidList()
        {
            var error = Assert.Throws<AuroraSecurityException>(() => CipherCatalog.Get("RC4-MD5"));
            Assert.Equal("TlsCipherUnknown", error.ErrorId);

            Assert.Contains("RC4-MD5", error.Message);
            Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384", error.Message);
            Assert.DoesNotContain("Did you mean", error.Message);
            Assert.DoesNotContain("(Parameter", error.Message);
        }

        [Fact]
        public void TheValidListSaysWhichReleasesTakeDheCiphers()
        {
            var message = Assert.Throws<AuroraSecurityException>(() => CipherCatalog.Get("AES128-SHA")).Message;

            var ecdhe = message.IndexOf("ECDHE-RSA-AES128-SHA,", StringComparison.Ordinal);
            var dhe = message.IndexOf("DHE-RSA-AES128-SHA,", ecdhe + 1, StringComparison.Ordinal);
            Assert.True(ecdhe > 0 && dhe > ecdhe, message);
            Assert.Contains("DHE-RSA-AES256-GCM-SHA384 (Aurora MySQL 3.01.0 and higher, and Aurora MySQL 2 below 2.11.0 only)", message);
            Assert.Contains("ECDHE-RSA-AES256-GCM-SHA384 (Aurora MySQL 3.01.0 and higher, 2.09.3 and higher within 2.09, and 2.10.2 and higher)", message);
            foreach (var cipher in CipherCatalog.All)
            {
                Assert.Contains(cipher.Name + (cipher.Name.EndsWith("GCM-SHA384", StringComparison.Ordinal) ? " (" : ","), message);
            }
        }

        [Theory]
        [InlineData("2.11.2", CipherAvailability.Dhe, false)]
        [InlineData("2.10.3", CipherAvailability.Dhe, true)]
        [InlineData("3.05.2", CipherAvailability.Dhe, true)]
        [InlineData("2.11.2", CipherAvailability.Ecdhe, true)]
        [InlineData("2.10.1", CipherAvailability.Ecdhe, false)]
        [InlineData("2.09.3", CipherAvailability.Ecdhe, true)]
        public void TheReleaseTextAgreesWithTheRules(string release, CipherAvailability family, bool supported)
        {
            var cipher = CipherCatalog.All.First(c => c.Availability == family);
            Assert.Equal(supported, CipherCatalog.SupportFor(cipher, AuroraEngineVersion.Parse(release)).Supported);
            Assert.Contains(family == CipherAvailability.Dhe ? "below 2.11.0" : "2.10.2 and higher", CipherCatalog.AvailabilityText(family));
        }

        [Fact]
        public void ATypoGetsADidYouMean()
        {
            var error = Assert.Throws<AuroraSecurityException>(() => CipherCatalog.Get("ECDHE-RSA-AES256-GCM-SHA348"));
            Assert.Equal("TlsCipherUnknown", error.ErrorId);
            Assert.Contains("Did you mean ECDHE-RSA-AES256-GCM-SHA384?", error.Message);
            Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", CipherCatalog.Closest("ecdhe-rsa-aes128-gcm-sha265"));
            Assert.Null(CipherCatalog.Closest("AES128-SHA-CHACHA-POLY"));
        }

        [Fact]
        public void FindsByIanaNameAndIgnoresCase()
        {
            Assert.Equal("ECDHE-RSA-AES256-GCM-SHA384", CipherCatalog.Find("tls_ecdhe_rsa_with_aes_256_gcm_sha384")!.Name);
            Assert.Equal("DHE-RSA-AES128-SHA", CipherCatalog.Find("dhe-rsa-aes128-sha")!.Name);
        }

        [Fact]
        public void SupportedCipherInfoWithoutAVersionLeavesSupportOpen()
        {
            var all = SupportedCipherInfo.For(null);

            Assert.Equal(12, all.Count);
            Assert.All(all, c => Assert.Null(c.Supported));
        }

        private static bool Supported(AuroraCipher cipher, string version) =>
            CipherCatalog.SupportFor(cipher, AuroraEngineVersion.Parse(version)).Supported;
    }
}
