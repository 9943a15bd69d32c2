using System;
using System.IO;
using System.Management.Automation.Language;
using AuroraSecurity.Audit;
using AuroraSecurity.Reporting;

namespace AuroraSecurity.PowerShell
{
    /// <summary>Reads a baseline file: a PowerShell data file (.psd1, constants only, never run) or JSON.</summary>
    internal static class BaselineFile
    {
        public static AuditBaseline Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new AuroraSecurityException("BaselineNotFound", FailureKind.NotFound,
                    $"The baseline file '{path}' does not exist: give the path of a .psd1 or .json file (New-AuroraSecurityBaseline writes a starting one).");
            }

            object? data;
            if (string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    data = JsonReader.Parse(File.ReadAllText(path));
                }
                catch (FormatException e)
                {
                    throw Invalid(path, e.Message);
                }
            }
            else
            {
                var ast = Parser.ParseFile(path, out _, out var errors);
                if (errors.Length > 0)
                {
                    var first = errors[0];
                    throw Invalid(path, $"not a valid PowerShell data file at line {first.Extent.StartLineNumber}, column {first.Extent.StartColumnNumber}: {first.Message}");
                }

                var table = ast.Find(a => a is HashtableAst, false) as HashtableAst;
                if (table == null || ast.EndBlock == null || ast.EndBlock.Statements.Count != 1) throw Invalid(path, "the file must hold exactly one table, @{ ... }");
                try
                {
                    data = table.SafeGetValue();
                }
                catch (InvalidOperationException e)
                {
                    throw Invalid(path, $"only constant values are allowed (no commands or variables): {e.Message}");
                }
            }

            return BaselineReader.Read(data, path);
        }

        private static AuroraSecurityException Invalid(string path, string problem) => BaselineReader.Invalid(path, problem);
    }
}
