using System.Collections.Generic;

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

        /// <summary>
        /// The ciphers the team allows in ssl_cipher, in order of preference; empty: the strongest set each release supports. The cipher
        /// checks fail on any other value and accept the DHE ciphers listed here; Repair sets these.
        /// </summary>
        public IReadOnlyList<string> AllowedCiphers { get; set; } = new string[0];

        /// <summary>The TLS versions the team allows ("TLSv1", "TLSv1.1", "TLSv1.2"; always TLSv1.2); the TLS version check fails on any other.</summary>
        public IReadOnlyList<string> AllowedTlsVersions { get; set; } = new[] { "TLSv1.2" };

        /// <summary>
        /// Networks (CIDR blocks) allowed to reach the database port. Empty: the open-ingress check looks for the whole internet only;
        /// given: a rule admitting the port from any network outside them is a finding, and rules inside them are not.
        /// </summary>
        public IReadOnlyList<string> AllowedCidrs { get; set; } = new string[0];

        public static AuditSettings Default => new AuditSettings();

        /// <summary>A copy that can be changed without changing this one.</summary>
        public AuditSettings Copy() => new AuditSettings
        {
            CertificateWarningDays = CertificateWarningDays,
            MinimumBackupRetentionDays = MinimumBackupRetentionDays,
            EngineSupportWarningDays = EngineSupportWarningDays,
            AllowedCiphers = AllowedCiphers,
            AllowedTlsVersions = AllowedTlsVersions,
            AllowedCidrs = AllowedCidrs,
        };
    }
}
