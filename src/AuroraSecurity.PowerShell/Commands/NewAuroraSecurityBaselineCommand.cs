using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using AuroraSecurity.Audit;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Writes a commented starting baseline (.psd1) with every setting at its default, for Invoke-AuroraSecurityAudit -Baseline.</summary>
    [Cmdlet(VerbsCommon.New, "AuroraSecurityBaseline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewAuroraSecurityBaselineCommand : AuroraCmdlet
    {
        /// <summary>The file to write (.psd1).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "aurora-baseline.psd1";

        /// <summary>Replaces an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var path = ResolveFilePath(Path)!;
            if (File.Exists(path) && !Force)
            {
                ThrowFailure(new AuroraSecurityException("BaselineFileExists", FailureKind.InvalidOperation,
                    $"'{path}' exists: give -Force to replace it, or another -Path."), path);
                return;
            }

            if (!ShouldProcess(path, "Write a starting audit baseline")) return;
            try
            {
                File.WriteAllText(path, BaselineTemplate.PowerShellDataFile(DateTime.UtcNow), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowFailure(new AuroraSecurityException("BaselineWriteFailed", FailureKind.InvalidOperation, $"The baseline could not be written to '{path}': {e.Message}", e), path);
                return;
            }

            WriteObject(new FileInfo(path));
        }
    }
}
