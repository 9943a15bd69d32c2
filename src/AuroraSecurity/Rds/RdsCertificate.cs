using System;

namespace AuroraSecurity.Rds
{
    /// <summary>An RDS certificate authority certificate offered for DB instances.</summary>
    public sealed class RdsCertificate
    {
        public string CertificateIdentifier { get; set; } = string.Empty;
        public string? CertificateType { get; set; }
        public string? Thumbprint { get; set; }
        public DateTime? ValidFrom { get; set; }
        public DateTime? ValidTill { get; set; }
        public string? CertificateArn { get; set; }
        public bool? CustomerOverride { get; set; }
        public DateTime? CustomerOverrideValidTill { get; set; }
        public bool IsDefaultForNewLaunches { get; set; }

        public override string ToString() => CertificateIdentifier;
    }
}
