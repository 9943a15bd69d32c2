using System;

namespace AuroraSecurity.Rds
{
    /// <summary>AWS credentials or region could not be determined; the message says how to provide them.</summary>
    public sealed class AwsConfigurationException : Exception
    {
        public AwsConfigurationException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }
}
