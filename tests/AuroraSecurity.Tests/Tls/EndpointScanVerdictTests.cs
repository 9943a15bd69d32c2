using System.Collections.Generic;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>What a scan's results mean is decided in the core: the cmdlet only writes what it is given.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class EndpointScanVerdictTests
    {
        private static readonly TlsEndpointScanRequest Request = new TlsEndpointScanRequest { Endpoint = "db.example", Port = 3306 };

        private static TlsEndpointProbeResult Result(string name, TlsProbeStatus status, bool? accepted, bool canRestrict = true, string? detail = null) =>
            new TlsEndpointProbeResult { Endpoint = "db.example", Port = 3306, Name = name, Status = status, Accepted = accepted, CipherRestrictionSupported = canRestrict, Detail = detail };

        [Fact]
        public void AnEndpointNothingReachedIsOneFailureNamingIt()
        {
            var results = new List<TlsEndpointProbeResult>
            {
                Result("TLSv1.2", TlsProbeStatus.Unreachable, null, detail: "Connection refused"),
                Result("TLSv1.3", TlsProbeStatus.Unreachable, null, detail: "Connection refused"),
            };
            var failure = TlsEndpointScanner.Unreachable(Request, results);
            Assert.NotNull(failure);
            Assert.Equal("TlsEndpointUnreachable", failure!.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, failure.Kind);
            Assert.Contains("db.example:3306: Connection refused", failure.Message);
        }

        [Fact]
        public void OneAcceptedHandshakeMeansTheServerWasReached()
        {
            var results = new List<TlsEndpointProbeResult>
            {
                Result("TLSv1.2", TlsProbeStatus.Accepted, true),
                Result("TLSv1.3", TlsProbeStatus.Unreachable, null, detail: "timed out"),
            };
            Assert.Null(TlsEndpointScanner.Unreachable(Request, results));
        }

        [Fact]
        public void WhatThisClientCouldNotOfferIsNamedAfterTheScanAndNothingElse()
        {
            var results = new List<TlsEndpointProbeResult>
            {
                Result("TLSv1.0", TlsProbeStatus.NotTestable, null),
                Result("TLSv1.2", TlsProbeStatus.Accepted, true),
                Result("ECDHE-RSA-AES256-GCM-SHA384", TlsProbeStatus.NotTestable, null, canRestrict: false),
            };
            var warning = TlsEndpointScanner.WarningAfter(Request, results);
            Assert.Contains("would not offer them: TLSv1.0.", warning);
            Assert.DoesNotContain("ECDHE", warning);
            Assert.Null(TlsEndpointScanner.WarningAfter(Request, new List<TlsEndpointProbeResult> { Result("TLSv1.2", TlsProbeStatus.Accepted, true) }));
        }

        [Fact]
        public void AnEmptyCipherListNeedsNoPlatformWarning()
        {
            Assert.Null(TlsEndpointScanner.WarningBefore(new TlsEndpointScanRequest { Endpoint = "db.example", Ciphers = new string[0] }));
            var warning = TlsEndpointScanner.WarningBefore(Request);
            Assert.Equal(TlsProbe.CipherRestrictionSupported, warning == null);
        }
    }
}
