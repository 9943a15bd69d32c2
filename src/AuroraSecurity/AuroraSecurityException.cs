using System;
using System.Collections.Generic;

namespace AuroraSecurity
{
    /// <summary>What kind of failure an <see cref="AuroraSecurityException"/> reports, so the PowerShell face can pick an ErrorCategory.</summary>
    public enum FailureKind
    {
        /// <summary>The caller passed something unusable.</summary>
        InvalidArgument,

        /// <summary>The thing named does not exist.</summary>
        NotFound,

        /// <summary>A network or server connection failed.</summary>
        ConnectionError,

        /// <summary>Login or TLS verification failed.</summary>
        SecurityError,

        /// <summary>The request would act on something that is protected or in the wrong state.</summary>
        InvalidOperation,

        /// <summary>The user lacks a permission.</summary>
        PermissionDenied,

        /// <summary>The server or service answered with an error we did not expect.</summary>
        ServiceError,

        /// <summary>The operation was cancelled.</summary>
        Cancelled,
    }

    /// <summary>A failure with a message a DBA can act on and a stable error id; never carries secrets.</summary>
    public class AuroraSecurityException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public AuroraSecurityException(string errorId, FailureKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        /// <summary>A stable identifier, such as SqlInsecureTransportRefused, for scripts to match on.</summary>
        public string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        public FailureKind Kind { get; }

        /// <summary>
        /// Advice that names a parameter only some callers have, keyed by that parameter's name (without the dash). The
        /// message itself names no such parameter; a cmdlet shows the advice whose parameter it has.
        /// </summary>
        public IReadOnlyDictionary<string, string> ParameterAdvice => advice;

        private readonly Dictionary<string, string> advice = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds advice for callers that have <paramref name="parameter"/>; returns this exception.</summary>
        public AuroraSecurityException WithAdvice(string parameter, string text)
        {
            advice[parameter] = text;
            return this;
        }
    }
}
