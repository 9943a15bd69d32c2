using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using AuroraSecurity.Audit;
using AuroraSecurity.Reporting;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Writes audit findings to one report file: self-contained HTML, or the same data flattened to CSV or JSON.</summary>
    [Cmdlet(VerbsData.Export, "AuroraSecurityReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAuroraSecurityReportCommand : AuroraCmdlet
    {
        private readonly List<Finding> _findings = new List<Finding>();

        /// <summary>Findings from Invoke-AuroraSecurityAudit.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowEmptyCollection]
        public Finding[]? Finding { get; set; }

        /// <summary>The file to write; replaced when it exists.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Html, Csv or Json; taken from the file's extension when omitted (Html for any other).</summary>
        [Parameter]
        [ValidateSet("Html", "Csv", "Json")]
        public string? Format { get; set; }

        /// <summary>The report's title.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>Refuses to replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Writes the file without asking for confirmation (unless -Confirm is given); -WhatIf still holds.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Finding == null) return;
            foreach (var finding in Finding)
            {
                if (finding != null) _findings.Add(finding);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var path = ResolveFilePath(Path)!;
            var format = Format ?? FormatOf(path);
            if (NoClobber && File.Exists(path))
            {
                ThrowFailure(new AuroraSecurityException("ReportFileExists", FailureKind.InvalidOperation,
                    $"'{path}' exists and -NoClobber was given: choose another -Path or leave out -NoClobber."), path);
                return;
            }

            if (ConfirmUnlessForced(Force, path, $"Write a {format} report of {_findings.Count} findings", path) != ConfirmOutcome.Proceed) return;
            var run = new ReportRun(_findings, DateTime.UtcNow, ModuleVersion(), Title);
            string content;
            switch (format)
            {
                case "Csv": content = FindingTable.ToCsv(_findings); break;
                case "Json": content = FindingTable.ToJson(run); break;
                default: content = HtmlReport.Write(run); break;
            }

            try
            {
                var folder = System.IO.Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                {
                    throw new DirectoryNotFoundException($"The folder '{folder}' does not exist: create it or choose another -Path.");
                }

                File.WriteAllText(path, content, new UTF8Encoding(format == "Csv"));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowFailure(new AuroraSecurityException("ReportWriteFailed", FailureKind.InvalidOperation, $"The report could not be written to '{path}': {e.Message}", e), path);
                return;
            }

            WriteObject(new FileInfo(path));
        }

        private static string FormatOf(string path)
        {
            var extension = System.IO.Path.GetExtension(path);
            if (string.Equals(extension, ".csv", StringComparison.OrdinalIgnoreCase)) return "Csv";
            if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase)) return "Json";
            return "Html";
        }

        private string ModuleVersion() =>
            MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(ExportAuroraSecurityReportCommand).Assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
