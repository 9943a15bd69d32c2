using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class CertificateChainValidatorTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("aurora-chain-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private string Write(string name, params X509Certificate2[] certificates)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, TestCertificates.ToPem(certificates));
            return path;
        }

        [Fact]
        public void ACertificateSignedByABundleCaIsValidOnBothRoutes()
        {
            using var other = TestCertificates.NewCa("Other CA");
            using var ca = TestCertificates.NewCa("Bundle CA");
            using var server = TestCertificates.NewServer(ca, "db.example.com", new[] { "db.example.com" }, Array.Empty<IPAddress>());
            var bundle = Write("bundle.pem", other, ca);

            Assert.True(CertificateChainValidator.Validate(server, bundle).Valid);
            var extraStore = CertificateChainValidator.ValidateWithExtraStore(server, CertificateChainValidator.LoadPem(bundle), new(), null);
            Assert.True(extraStore.Valid, extraStore.Detail);
        }

        [Fact]
        public void ACertificateFromAnotherCaFailsOnBothRoutesAndSaysWhy()
        {
            using var ca = TestCertificates.NewCa("Signing CA");
            using var wrong = TestCertificates.NewCa("Unrelated CA");
            using var server = TestCertificates.NewServer(ca, "db.example.com", new[] { "db.example.com" }, Array.Empty<IPAddress>());
            var bundle = Write("wrong.pem", wrong);

            var custom = CertificateChainValidator.Validate(server, bundle);
            var extraStore = CertificateChainValidator.ValidateWithExtraStore(server, CertificateChainValidator.LoadPem(bundle), new(), null);

            Assert.False(custom.Valid);
            Assert.NotEmpty(custom.Detail);
            Assert.False(extraStore.Valid);
            Assert.NotEmpty(extraStore.Detail);
        }

        [Fact]
        public void AnExpiredCertificateFailsTheChain()
        {
            using var ca = TestCertificates.NewCa("Bundle CA");
            using var server = TestCertificates.NewServer(ca, "db.example.com", new[] { "db.example.com" }, Array.Empty<IPAddress>());
            var bundle = Write("bundle.pem", ca);

            var later = CertificateChainValidator.Validate(server, bundle, at: DateTime.Now.AddDays(120));

            Assert.False(later.Valid);
            Assert.Contains("NotTimeValid", later.Detail);
        }

        [Fact]
        public void PemLoadingReadsEveryCertificateAndIgnoresOtherBlocks()
        {
            using var a = TestCertificates.NewCa("A");
            using var b = TestCertificates.NewCa("B");
            var path = Path.Combine(folder, "mixed.pem");
            File.WriteAllText(path, "comment\n" + TestCertificates.ToPem(a) + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + TestCertificates.ToPem(b));

            var loaded = CertificateChainValidator.LoadPem(path);

            Assert.Equal(new[] { a.Thumbprint, b.Thumbprint }, loaded.Select(c => c.Thumbprint));
        }

        [Fact]
        public void AFileWithoutCertificatesIsNotValid()
        {
            using var ca = TestCertificates.NewCa("Bundle CA");
            using var server = TestCertificates.NewServer(ca, "db.example.com", new[] { "db.example.com" }, Array.Empty<IPAddress>());
            var path = Path.Combine(folder, "empty.pem");
            File.WriteAllText(path, "nothing here");

            var result = CertificateChainValidator.Validate(server, path);

            Assert.False(result.Valid);
            Assert.Contains("no PEM certificates", result.Detail);
        }
    }
}
