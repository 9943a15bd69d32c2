using System;
using System.Linq;
using AuroraSecurity.Engine;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    /// <summary>One vocabulary for TLS versions and parameter values: every spelling is read and written in one place.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class TlsProtocolTests
    {
        [Theory]
        [InlineData("TLSv1", TlsProtocol.Tls10)]
        [InlineData("tlsv1.0", TlsProtocol.Tls10)]
        [InlineData("TLS 1.0", TlsProtocol.Tls10)]
        [InlineData("Tls11", TlsProtocol.Tls11)]
        [InlineData(" TLSv1.2", TlsProtocol.Tls12)]
        [InlineData("TLS1.3", TlsProtocol.Tls13)]
        public void EverySpellingReadsAsOneProtocol(string text, TlsProtocol expected)
        {
            Assert.True(TlsProtocols.TryParse(text, out var protocol));
            Assert.Equal(expected, protocol);
        }

        [Theory]
        [InlineData("")]
        [InlineData("SSLv3")]
        [InlineData("TLSv1.4")]
        public void AnythingElseIsRefusedWithTheVersionsListed(string text)
        {
            Assert.False(TlsProtocols.TryParse(text, out _));
            Assert.Contains("TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3", Assert.Throws<ArgumentException>(() => TlsProtocols.Parse(text)).Message);
        }

        [Fact]
        public void EachProtocolHasItsNameItsDriverSpellingAndItsTlsVersionValue()
        {
            Assert.Equal(new[] { "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" }, TlsProtocols.All.Select(p => p.Name()).ToArray());
            Assert.Equal(new[] { "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" }, TlsProtocols.All.Select(p => p.DriverName()).ToArray());
            Assert.Equal(new[] { "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" }, TlsProtocols.All.Select(p => p.TlsVersionValue()).ToArray());
        }

        [Fact]
        public void TheOtherSpellingsGoThroughTheOneParser()
        {
            Assert.Equal("TLS 1.0", TlsCipherNames.NormalizeProtocol("TLSv1"));
            Assert.Equal("TLSv1.0", TlsProbe.NormalizeProtocol("TLS 1.0"));
            Assert.Equal("TLSv1", AuroraTlsRules.NormalizeTlsVersion("TLSv1.0"));
            Assert.Equal(TlsProbe.ProtocolNames, TlsProtocols.All.Select(p => p.Name()).ToArray());
            Assert.Throws<ArgumentException>(() => AuroraTlsRules.NormalizeTlsVersion("TLSv1.3"));
        }

        [Fact]
        public void PerVersionRulesAreAskedOfAuroraTlsRulesNotWrittenAgain()
        {
            var src = System.IO.Path.Combine(SandboxServer.RepoRoot, "src");
            var again = System.IO.Directory.EnumerateFiles(src, "*.cs", System.IO.SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.EndsWith("AuroraTlsRules.cs") && !f.EndsWith("AuroraEngineVersion.cs"))
                .SelectMany(f => System.IO.File.ReadAllLines(f).Select((line, i) => (File: System.IO.Path.GetFileName(f), Line: i + 1, Text: line)))
                .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, @"AuroraMajorVersion\s*(==|!=|<=|>=|<|>)\s*[0-9]"))
                .Select(l => $"{l.File}:{l.Line}")
                .ToList();
            Assert.True(again.Count == 0, "Ask AuroraTlsRules.For/TryFor instead of comparing major versions: " + string.Join(", ", again));
        }

        [Theory]
        [InlineData("ON", true)]
        [InlineData(" on ", true)]
        [InlineData("1", true)]
        [InlineData("True", true)]
        [InlineData("OFF", false)]
        [InlineData("0", false)]
        [InlineData("false", false)]
        [InlineData("", null)]
        [InlineData(null, null)]
        [InlineData("2", null)]
        public void OnOffValuesReadAsTrueFalseOrUnknown(string? value, bool? expected) => Assert.Equal(expected, ParameterValues.OnOff(value));
    }
}
