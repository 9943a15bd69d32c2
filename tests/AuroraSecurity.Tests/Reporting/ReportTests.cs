using System;
using System.Linq;
using System.Text.Json;
using AuroraSecurity.Audit;
using AuroraSecurity.Reporting;
using Xunit;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.Reporting
{
    /// <summary>The HTML, CSV and JSON reports: encoding, counts, flattening.</summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class ReportTests
    {
        private static Finding Finding(string cluster, FindingStatus status, FindingSeverity severity = FindingSeverity.High, string reason = "reason") => new Finding
        {
            CheckId = SecurityCheckCatalog.RequireSecureTransport,
            Title = "Connections must use TLS (require_secure_transport)",
            Severity = severity,
            Status = status,
            Reason = reason,
            Recommendation = "Enable-AuroraSecureTransport -ClusterIdentifier " + cluster,
            ClusterIdentifier = cluster,
            Region = "eu-west-1",
            Timestamp = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc),
        };

        [Fact]
        public void HtmlEncodesEveryPieceOfData()
        {
            var hostile = Finding("<script>alert(1)</script>", FindingStatus.Fail, reason: "a \"quoted\" 'reason' & <b>tag</b>");
            var html = HtmlReport.Write(new ReportRun(new[] { hostile }, DateTime.UtcNow, "1.2.3", "<i>title</i>"));
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<b>tag</b>", html);
            Assert.DoesNotContain("<i>title</i>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
            Assert.Contains("a &quot;quoted&quot; &#39;reason&#39; &amp; &lt;b&gt;tag&lt;/b&gt;", html);
            Assert.Contains("data-cluster=\"&lt;script&gt;alert(1)&lt;/script&gt;\"", html);
            Assert.Equal(1, CountOf(html, "<script>"));
        }

        [Fact]
        public void HtmlHasOneRowPerFindingAndASummaryThatAddsUp()
        {
            var findings = new[]
            {
                Finding("a", FindingStatus.Fail), Finding("a", FindingStatus.Pass, FindingSeverity.Low), Finding("b", FindingStatus.Fail, FindingSeverity.Medium),
                Finding("b", FindingStatus.Warning), Finding("c", FindingStatus.Error),
            };
            var html = HtmlReport.Write(new ReportRun(findings, DateTime.UtcNow, "1.2.3"));
            Assert.Equal(5, CountOf(html, "<tr class=\"finding\""));
            Assert.Equal(2, CountOf(html, "<tr class=\"finding\" data-status=\"Fail\""));
            Assert.Equal(3, CountOf(html, "<section class=\"cluster\""));
            Assert.Contains("<tr data-status=\"Fail\"><th><span class=\"status status-Fail\">Fail</span></th><td class=\"count\" data-severity=\"High\">1</td><td class=\"count\" data-severity=\"Medium\">1</td><td class=\"count\" data-severity=\"Low\">0</td><td class=\"total\">2</td></tr>", html);
            Assert.Contains("<dd id=\"module-version\">1.2.3</dd>", html);
            Assert.Contains("<dd id=\"regions\">eu-west-1</dd>", html);
        }

        [Fact]
        public void HtmlLoadsNothingFromElsewhere()
        {
            var html = HtmlReport.Write(new ReportRun(new[] { Finding("a", FindingStatus.Fail) }, DateTime.UtcNow, "1.2.3"));
            Assert.Contains("default-src 'none'", html);
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotContain(" src=", html);
            Assert.DoesNotContain("<link", html);
        }

        [Fact]
        public void CsvAndJsonWriteTimesAsUtcIso8601WhateverTheCulture()
        {
            var previous = System.Globalization.CultureInfo.CurrentCulture;
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            try
            {
                var utc = Finding("a", FindingStatus.Fail);
                var local = Finding("b", FindingStatus.Pass);
                local.Timestamp = new DateTimeOffset(2026, 11, 29, 14, 0, 0, TimeSpan.FromHours(2)).LocalDateTime;
                var csv = FindingTable.ToCsv(new[] { utc, local });
                Assert.Equal(2, CountOf(csv, ",2026-11-29T12:00:00.000Z,"));
                var json = FindingTable.ToJson(new ReportRun(new[] { utc, local }, DateTime.UtcNow, "1.2.3"));
                // Each finding's time, and the run's first and last finding times beside them.
                Assert.True(CountOf(json, "\"2026-11-29T12:00:00.000Z\"") >= 2, json);
                Assert.DoesNotContain("29.11.2026", csv + json);
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = previous;
            }
        }

        [Theory]
        [InlineData("plain", "plain")]
        [InlineData("a,b", "\"a,b\"")]
        [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
        [InlineData("two\nlines", "\"two\nlines\"")]
        [InlineData("=1+2", "'=1+2")]
        [InlineData("+1", "'+1")]
        [InlineData("-1", "'-1")]
        [InlineData("@SUM(A1)", "'@SUM(A1)")]
        [InlineData("=A1,B1", "\"'=A1,B1\"")]
        public void CsvCellQuotesAndDefusesFormulas(string value, string cell) => Assert.Equal(cell, FindingTable.CsvCell(value));

        [Fact]
        public void CsvHasAHeaderAndOneLinePerFinding()
        {
            var csv = FindingTable.ToCsv(new[] { Finding("a", FindingStatus.Fail), Finding("b", FindingStatus.Pass) });
            var lines = csv.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.Equal(string.Join(",", FindingTable.Columns), lines[0]);
            Assert.StartsWith("a,eu-west-1,AURSEC-TLS-001,", lines[1]);
        }

        [Fact]
        public void JsonCarriesTheRunAndTheRows()
        {
            var run = new ReportRun(new[] { Finding("a", FindingStatus.Fail), Finding("b", FindingStatus.Pass) }, new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc), "1.2.3");
            using var json = JsonDocument.Parse(FindingTable.ToJson(run));
            var root = json.RootElement;
            Assert.Equal("1.2.3", root.GetProperty("Run").GetProperty("ModuleVersion").GetString());
            Assert.Equal("2026-11-30T00:00:00.000Z", root.GetProperty("Run").GetProperty("GeneratedAt").GetString());
            Assert.Equal(2, root.GetProperty("Run").GetProperty("Findings").GetInt32());
            Assert.Equal("AURSEC-TLS-001", root.GetProperty("Run").GetProperty("Checks")[0].GetProperty("CheckId").GetString());
            Assert.Equal(2, root.GetProperty("Findings").GetArrayLength());
            Assert.Equal("Fail", root.GetProperty("Findings")[0].GetProperty("Status").GetString());
            Assert.Equal(FindingTable.Columns, root.GetProperty("Findings")[0].EnumerateObject().Select(p => p.Name));
        }

        private static int CountOf(string text, string part)
        {
            var count = 0;
            for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
            return count;
        }
    }
}
