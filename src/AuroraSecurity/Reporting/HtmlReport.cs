using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Reporting
{
    /// <summary>
    /// Writes a report as one self-contained HTML file: no external scripts, styles, fonts or images (a Content-Security-Policy
    /// forbids them), every piece of data HTML-encoded, and a small inline script to filter by status and sort the tables.
    /// </summary>
    public static class HtmlReport
    {
        private static readonly FindingSeverity[] Severities = { FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low };

        /// <summary>The HTML document for a run.</summary>
        public static string Write(ReportRun run)
        {
            if (run == null) throw new ArgumentNullException(nameof(run));
            var html = new StringBuilder(64 * 1024);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
            html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            html.Append("<meta name=\"generator\" content=\"AuroraSecurity ").Append(Encode(run.ModuleVersion)).Append("\">\n");
            html.Append("<title>").Append(Encode(run.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
            html.Append("<header>\n<h1>").Append(Encode(run.Title)).Append("</h1>\n");
            WriteRun(html, run);
            html.Append("</header>\n<main>\n");
            WriteSummary(html, run);
            WriteFilter(html, run);
            WriteClusters(html, run);
            html.Append("</main>\n<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>Text made safe for HTML content and double- or single-quoted attributes.</summary>
        public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

        private static void WriteRun(StringBuilder html, ReportRun run)
        {
            html.Append("<dl class=\"run\" id=\"run\">\n");
            Item(html, "generated-at", "Report written", Time(run.GeneratedAt));
            Item(html, "audited-at", "Audit run", run.AuditedAt is DateTime at ? Time(at) : "unknown");
            Item(html, "regions", "Regions", run.Regions.Count == 0 ? "unknown" : string.Join(", ", run.Regions));
            Item(html, "module-version", "AuroraSecurity version", run.ModuleVersion);
            Item(html, "cluster-count", "Clusters", run.Clusters.ToString(CultureInfo.InvariantCulture));
            Item(html, "finding-count", "Findings", run.Findings.Count.ToString(CultureInfo.InvariantCulture));
            html.Append("<dt>Checks run (").Append(run.Checks.Count.ToString(CultureInfo.InvariantCulture)).Append(")</dt>\n<dd><ul class=\"checks\" id=\"checks\">");
            foreach (var check in run.Checks)
            {
                html.Append("<li data-check=\"").Append(Encode(check.Key)).Append("\"><code>").Append(Encode(check.Key)).Append("</code> ").Append(Encode(check.Value)).Append("</li>");
            }

            html.Append("</ul></dd>\n</dl>\n");
        }

        private static void Item(StringBuilder html, string id, string label, string value) =>
            html.Append("<dt>").Append(Encode(label)).Append("</dt><dd id=\"").Append(id).Append("\">").Append(Encode(value)).Append("</dd>\n");

        private static void WriteSummary(StringBuilder html, ReportRun run)
        {
            html.Append("<section class=\"summary\">\n<h2>Summary</h2>\n<table id=\"summary\">\n<thead><tr><th>Status</th>");
            foreach (var severity in Severities) html.Append("<th>").Append(severity).Append("</th>");
            html.Append("<th>Total</th></tr></thead>\n<tbody>\n");
            foreach (var status in ReportRun.StatusOrder)
            {
                var ofStatus = run.Findings.Where(f => f.Status == status).ToList();
                html.Append("<tr data-status=\"").Append(status).Append("\"><th><span class=\"status status-").Append(status).Append("\">").Append(status).Append("</span></th>");
                foreach (var severity in Severities)
                {
                    var count = ofStatus.Count(f => f.Severity == severity);
                    html.Append("<td class=\"count\" data-severity=\"").Append(severity).Append("\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                }

                html.Append("<td class=\"total\">").Append(ofStatus.Count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n</section>\n");
        }

        private static void WriteFilter(StringBuilder html, ReportRun run)
        {
            html.Append("<section class=\"filter\" id=\"filter\">\n<h2>Findings</h2>\n<p>Show: ");
            foreach (var status in ReportRun.StatusOrder)
            {
                var count = run.Findings.Count(f => f.Status == status);
                html.Append("<label><input type=\"checkbox\" class=\"status-filter\" value=\"").Append(status).Append("\" checked> ")
                    .Append(status).Append(" (").Append(count.ToString(CultureInfo.InvariantCulture)).Append(")</label> ");
            }

            html.Append("&mdash; <span id=\"visible-count\">").Append(run.Findings.Count.ToString(CultureInfo.InvariantCulture))
                .Append("</span> of ").Append(run.Findings.Count.ToString(CultureInfo.InvariantCulture)).Append(" shown. Click a column heading to sort.</p>\n</section>\n");
        }

        private static void WriteClusters(StringBuilder html, ReportRun run)
        {
            var clusters = run.Findings
                .GroupBy(f => (f.Region ?? string.Empty) + "\u0001" + f.ClusterIdentifier, StringComparer.Ordinal)
                .OrderBy(g => g.First().ClusterIdentifier, StringComparer.Ordinal).ThenBy(g => g.First().Region, StringComparer.Ordinal);
            foreach (var cluster in clusters)
            {
                var first = cluster.First();
                html.Append("<section class=\"cluster\" data-cluster=\"").Append(Encode(first.ClusterIdentifier)).Append("\" data-region=\"").Append(Encode(first.Region)).Append("\">\n");
                html.Append("<h3>").Append(Encode(first.ClusterIdentifier)).Append("</h3>\n<p class=\"cluster-facts\">").Append(Encode(first.Region));
                if (!string.IsNullOrEmpty(first.EngineVersion)) html.Append(" &middot; ").Append(Encode(first.EngineVersion));
                if (!string.IsNullOrEmpty(first.DBClusterArn)) html.Append(" &middot; <code>").Append(Encode(first.DBClusterArn)).Append("</code>");
                html.Append("</p>\n<table class=\"findings\">\n<thead><tr>")
                    .Append("<th data-sort=\"status\">Status</th><th data-sort=\"severity\">Severity</th><th data-sort=\"check\">Check</th>")
                    .Append("<th data-sort=\"text\">Title</th><th data-sort=\"text\">Reason</th><th data-sort=\"text\">Recommendation</th></tr></thead>\n<tbody>\n");
                foreach (var finding in cluster.OrderBy(f => ReportRun.StatusRank(f.Status)).ThenBy(f => CheckOrder(f.CheckId)))
                {
                    html.Append("<tr class=\"finding\" data-status=\"").Append(finding.Status).Append("\" data-severity=\"").Append(finding.Severity)
                        .Append("\" data-check=\"").Append(Encode(finding.CheckId)).Append("\">")
                        .Append("<td><span class=\"status status-").Append(finding.Status).Append("\">").Append(finding.Status).Append("</span></td>")
                        .Append("<td>").Append(finding.Severity).Append("</td>")
                        .Append("<td><code>").Append(Encode(finding.CheckId)).Append("</code></td>")
                        .Append("<td>").Append(Encode(finding.Title)).Append("</td>")
                        .Append("<td class=\"reason\">").Append(Encode(finding.Reason));
                    if (finding.Status == FindingStatus.Suppressed)
                    {
                        html.Append("<p class=\"suppression\">Suppressed (").Append(finding.SuppressedStatus?.ToString() ?? "unknown").Append(") until ")
                            .Append(finding.SuppressionExpires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown").Append(": ").Append(Encode(finding.Justification)).Append("</p>");
                    }

                    html.Append("</td>")
                        .Append("<td class=\"recommendation\">");
                    if (!string.IsNullOrEmpty(finding.Recommendation)) html.Append("<code>").Append(Encode(finding.Recommendation)).Append("</code>");
                    html.Append("</td></tr>\n");
                }

                html.Append("</tbody>\n</table>\n</section>\n");
            }
        }

        private static int CheckOrder(string checkId)
        {
            var all = SecurityCheckCatalog.All;
            for (var i = 0; i < all.Count; i++)
            {
                if (string.Equals(all[i].Id, checkId, StringComparison.OrdinalIgnoreCase)) return i;
            }

            return int.MaxValue;
        }

        private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        private const string Style = @"body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0 2rem 2rem; color: #1d2733; }
h1 { margin-top: 1.2rem; font-size: 1.6rem; }
h3 { margin-bottom: 0.2rem; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.run dt { font-weight: 600; }
dl.run dd { margin: 0; }
ul.checks { margin: 0; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; }
th[data-sort] { cursor: pointer; user-select: none; }
th[data-sort]::after { content: ' \2195'; color: #8a96a3; }
#summary { width: auto; }
#summary td { text-align: right; min-width: 4rem; }
.cluster-facts { color: #57606a; margin-top: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; word-break: break-word; }
.status { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 0.6rem; font-size: 0.85em; font-weight: 600; }
.status-Pass { background: #dafbe1; color: #116329; }
.status-Fail { background: #ffebe9; color: #a40e26; }
.status-Error { background: #fff0c2; color: #7a2e0e; border: 1px solid #a40e26; }
.status-Warning { background: #fff8c5; color: #7d4e00; }
.status-NotApplicable { background: #eaeef2; color: #57606a; }
.status-Suppressed { background: #ddf4ff; color: #0a3069; }
label { margin-right: 0.8rem; white-space: nowrap; }
[hidden] { display: none !important; }
";

        private const string Script = @"(function () {
  'use strict';
  var statusRank = { Fail: 0, Error: 1, Warning: 2, Suppressed: 5, NotApplicable: 8, Pass: 9 };
  var severityRank = { High: 0, Medium: 1, Low: 2 };
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input.status-filter'));
  function rows(scope) { return Array.prototype.slice.call((scope || document).querySelectorAll('tr.finding')); }
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.value] = box.checked; });
    var visible = 0;
    rows().forEach(function (row) {
      var show = shown[row.getAttribute('data-status')] !== false;
      row.hidden = !show;
      if (show) { visible += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll('section.cluster'), function (section) {
      section.hidden = section.querySelectorAll('tr.finding:not([hidden])').length === 0;
    });
    document.getElementById('visible-count').textContent = String(visible);
  }
  function rank(table, value) { return value in table ? table[value] : 7; }
  function sortKey(row, column, index) {
    if (column === 'status') { return [rank(statusRank, row.getAttribute('data-status')), row.getAttribute('data-check')]; }
    if (column === 'severity') { return [rank(severityRank, row.getAttribute('data-severity')), row.getAttribute('data-check')]; }
    return [0, row.cells[index].textContent];
  }
  function compare(a, b) {
    if (a[0] !== b[0]) { return a[0] < b[0] ? -1 : 1; }
    return String(a[1]).localeCompare(String(b[1]));
  }
  function sortTable(table, index, descending) {
    var header = table.tHead.rows[0].cells[index];
    var column = header.getAttribute('data-sort');
    var body = table.tBodies[0];
    var sorted = rows(body).map(function (row) { return { row: row, key: sortKey(row, column, index) }; });
    sorted.sort(function (x, y) { var c = compare(x.key, y.key); return descending ? -c : c; });
    sorted.forEach(function (entry) { body.appendChild(entry.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.findings'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
      cell.addEventListener('click', function () { sortTable(table, index, cell.getAttribute('aria-sort') === 'ascending'); });
    });
  });
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  // A link can open the report filtered and sorted: report.html#status=Fail,Warning&sort=severity
  var options = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var pair = part.split('=');
    if (pair.length === 2) { options[decodeURIComponent(pair[0])] = decodeURIComponent(pair[1]); }
  });
  if (options.status) {
    var wanted = options.status.split(',');
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
  }
  if (options.sort) {
    Array.prototype.forEach.call(document.querySelectorAll('table.findings'), function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
        if (cell.getAttribute('data-sort') === options.sort || cell.textContent.toLowerCase() === options.sort.toLowerCase()) { sortTable(table, index, options.order === 'descending'); }
      });
    });
  }
  apply();
  document.body.setAttribute('data-ready', 'true');
})();
";
    }
}
