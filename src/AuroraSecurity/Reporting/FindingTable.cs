using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text;
using AuroraSecurity.Audit;

namespace AuroraSecurity.Reporting
{
    /// <summary>Findings flattened to one row of plain text columns each, the shape the CSV and JSON reports share.</summary>
    public static class FindingTable
    {
        private static readonly KeyValuePair<string, Func<Finding, string>>[] ColumnList =
        {
            Column("ClusterIdentifier", f => f.ClusterIdentifier),
            Column("Region", f => f.Region),
            Column("CheckId", f => f.CheckId),
            Column("Title", f => f.Title),
            Column("Severity", f => f.Severity.ToString()),
            Column("Status", f => f.Status.ToString()),
            Column("Reason", f => f.Reason),
            Column("Recommendation", f => f.Recommendation),
            Column("DBClusterArn", f => f.DBClusterArn ?? string.Empty),
            Column("EngineVersion", f => f.EngineVersion ?? string.Empty),
            Column("Timestamp", f => f.Timestamp == default ? string.Empty : JsonText.FormatTime(f.Timestamp)),
            Column("SuppressedStatus", f => f.SuppressedStatus?.ToString() ?? string.Empty),
            Column("Justification", f => f.Justification ?? string.Empty),
            Column("SuppressionExpires", f => f.SuppressionExpires?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty),
        };

        /// <summary>The column names, in order.</summary>
        public static IReadOnlyList<string> Columns { get; } = ColumnList.Select(c => c.Key).ToList();

        /// <summary>One finding as ordered column → text.</summary>
        public static OrderedDictionary Row(Finding finding)
        {
            var row = new OrderedDictionary(ColumnList.Length);
            foreach (var column in ColumnList) row[column.Key] = column.Value(finding) ?? string.Empty;
            return row;
        }

        /// <summary>The findings as CSV (RFC 4180, header first). A cell that a spreadsheet would run as a formula starts with an apostrophe.</summary>
        public static string ToCsv(IEnumerable<Finding> findings)
        {
            var text = new StringBuilder();
            text.Append(string.Join(",", Columns.Select(CsvCell))).Append("\r\n");
            foreach (var finding in findings)
            {
                text.Append(string.Join(",", ColumnList.Select(c => CsvCell(c.Value(finding) ?? string.Empty)))).Append("\r\n");
            }

            return text.ToString();
        }

        /// <summary>The run and its findings as JSON: {"Run": {...}, "Findings": [rows]}.</summary>
        public static string ToJson(ReportRun run)
        {
            var document = new OrderedDictionary
            {
                ["Run"] = new OrderedDictionary
                {
                    ["Title"] = run.Title,
                    ["GeneratedAt"] = run.GeneratedAt,
                    ["AuditedAt"] = run.AuditedAt,
                    ["ModuleVersion"] = run.ModuleVersion,
                    ["Regions"] = run.Regions.ToArray(),
                    ["Checks"] = run.Checks.Select(c => new OrderedDictionary { ["CheckId"] = c.Key, ["Title"] = c.Value }).ToArray(),
                    ["Clusters"] = run.Clusters,
                    ["Findings"] = run.Findings.Count,
                },
                ["Findings"] = run.Findings.Select(Row).ToArray(),
            };
            return JsonText.Write(document, indent: true);
        }

        /// <summary>A CSV cell: quoted when needed, and defused when a spreadsheet would evaluate it (=, +, -, @, tab, carriage return first).</summary>
        public static string CsvCell(string value)
        {
            if (value.Length > 0 && "=+-@\t\r".IndexOf(value[0]) >= 0) value = "'" + value;
            var quote = value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || value.StartsWith(" ", StringComparison.Ordinal) || value.EndsWith(" ", StringComparison.Ordinal);
            return quote ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        private static KeyValuePair<string, Func<Finding, string>> Column(string name, Func<Finding, string> value) =>
            new KeyValuePair<string, Func<Finding, string>>(name, value);
    }
}
