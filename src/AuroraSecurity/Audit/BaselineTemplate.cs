using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AuroraSecurity.Audit
{
    /// <summary>The commented starting file New-AuroraSecurityBaseline writes: every setting at its default, examples of the rest.</summary>
    public static class BaselineTemplate
    {
        /// <summary>A PowerShell data file (.psd1) that reads back as a baseline equal to the defaults.</summary>
        public static string PowerShellDataFile(DateTime today)
        {
            var expires = today.Date.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var text = new StringBuilder();
            text.AppendLine("# AuroraSecurity audit baseline: what the team agreed about its Aurora MySQL clusters.");
            text.AppendLine("#   Invoke-AuroraSecurityAudit -Baseline ./aurora-baseline.psd1");
            text.AppendLine("# Keep it under version control beside the runbook that uses it. Every setting below is at its default;");
            text.AppendLine("# change a value, or remove the line to keep the default. Check ids come from Get-AuroraSecurityCheck.");
            text.AppendLine("@{");
            text.AppendLine("    # Thresholds and allowed values for every cluster.");
            text.AppendLine("    Settings       = @{");
            foreach (var setting in BaselineSetting.All)
            {
                text.Append("        # ").Append(setting.Description).Append(" Takes ").Append(setting.ValueText).AppendLine(".");
                text.Append("        ").Append(setting.Name).Append(" = ").AppendLine(Literal(setting.DefaultValue));
            }

            text.AppendLine("    }");
            text.AppendLine();
            text.AppendLine("    # Checks switched off for every cluster, each with the reason (shown as the finding's reason, status NotApplicable).");
            text.AppendLine("    DisabledChecks = @{");
            text.AppendLine("        # 'AURSEC-IAM-001' = 'Applications log in with passwords from Secrets Manager; IAM authentication is not used.'");
            text.AppendLine("    }");
            text.AppendLine();
            text.AppendLine("    # Scopes: Settings and DisabledChecks for the clusters a name pattern (Cluster, wildcards * and ?) and/or a tag");
            text.AppendLine("    # (Tag = 'key=value') select. They apply in this order, after the settings above.");
            text.AppendLine("    Scopes         = @(");
            text.AppendLine("        # @{");
            text.AppendLine("        #     Name           = 'development'");
            text.AppendLine("        #     Tag            = 'environment=dev'");
            text.AppendLine("        #     DisabledChecks = @{ 'AURSEC-NET-003' = 'Burstable instance classes are allowed in development.' }");
            text.AppendLine("        #     Settings       = @{ MinimumBackupRetentionDays = 1 }");
            text.AppendLine("        # }");
            text.AppendLine("    )");
            text.AppendLine();
            text.AppendLine("    # Suppressions: findings of one check on the clusters selected, set aside with a justification until the expiry");
            text.AppendLine("    # date (yyyy-MM-dd, inclusive). A suppressed finding shows Status Suppressed and keeps its real status in");
            text.AppendLine("    # SuppressedStatus; after the expiry date it counts again and says that its suppression expired.");
            text.AppendLine("    Suppressions   = @(");
            text.AppendLine("        # @{");
            text.AppendLine("        #     CheckId       = 'AURSEC-TLS-002'");
            text.AppendLine("        #     Cluster       = 'legacy-*'");
            text.AppendLine("        #     Justification = 'A vendor client still needs TLS 1.1; replacement is planned (change CHG-1234).'");
            text.Append("        #     Expires       = '").Append(expires).AppendLine("'");
            text.AppendLine("        # }");
            text.AppendLine("    )");
            text.AppendLine("}");
            return text.ToString();
        }

        private static string Literal(object value)
        {
            switch (value)
            {
                case int number: return number.ToString(CultureInfo.InvariantCulture);
                case string s: return "'" + s.Replace("'", "''") + "'";
                case IEnumerable list: return "@(" + string.Join(", ", list.Cast<object>().Select(Literal)) + ")";
                default: return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
    }
}
