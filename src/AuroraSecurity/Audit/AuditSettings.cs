namespace AuroraSecurity.Audit
{
    /// <summary>The thresholds the checks apply; one place, so a baseline can set them instead of constants spread over the checks.</summary>
    public sealed class AuditSettings
    {
        /// <summary>Days before a CA certificate's expiry from which the certificate check warns.</summary>
        public int CertificateWarningDays { get; set; } = 30;

        /// <summary>Fewest days of automated backups the backup retention check accepts (FSBP RDS.50 asks for 7).</summary>
        public int MinimumBackupRetentionDays { get; set; } = 7;

        /// <summary>Days before the end of standard support from which the engine version check warns.</summary>
        public int EngineSupportWarningDays { get; set; } = 180;

        /// <summary>The ciphers the team allows in ssl_cipher, in order of preference; empty: the strongest set each release supports. Repair sets these.</summary>
        public System.Collections.Generic.IReadOnlyList<string> AllowedCiphers { get; set; } = new string[0];

        public static AuditSettings Default => new AuditSettings();
    }
}
