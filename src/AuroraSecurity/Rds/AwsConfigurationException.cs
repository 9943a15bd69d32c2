using System;

namespace AuroraSecurity.Rds
{
    /// <summary>AWS credentials or region could not be determined or obtained; the message says how to provide them.</summary>
    public sealed class AwsConfigurationException : AuroraSecurityException
    {
        /// <summary>Credentials or region are missing or contradictory in what the caller gave or the machine holds.</summary>
        public AwsConfigurationException(string message, Exception? innerException = null)
            : base("AwsConfiguration", FailureKind.InvalidArgument, message, innerException)
        {
        }

        private AwsConfigurationException(string errorId, FailureKind kind, string message, Exception? innerException)
            : base(errorId, kind, message, innerException)
        {
        }

        /// <summary>A credential source (a profile, SSO, a role, AWS.Tools' objects) failed when asked for keys.</summary>
        public static AwsConfigurationException CredentialsUnavailable(string source, Exception? innerException) =>
            new AwsConfigurationException("AwsCredentialsUnavailable", FailureKind.SecurityError,
                $"AWS credentials could not be obtained from {source}" + (innerException == null ? "." : ": " + innerException.Message) +
                " Refresh them (for example aws sso login), or pass -ProfileName, -AccessKey/-SecretKey or -Credential.",
                innerException);
    }
}
