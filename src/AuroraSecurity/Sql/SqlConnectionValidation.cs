using System;
using System.IO;
using AuroraSecurity.Tls;

namespace AuroraSecurity.Sql
{
    /// <summary>Refuses connection options that cannot work or would be unsafe, before anything is sent.</summary>
    internal static class SqlConnectionValidation
    {
        /// <summary>Throws an <see cref="AuroraSecurityException"/> that says what to pass instead.</summary>
        internal static void Validate(SqlConnectionOptions options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.Endpoint))
            {
                throw new AuroraSecurityException("SqlEndpointMissing", FailureKind.InvalidArgument, "An endpoint is required: pass -Endpoint with the cluster or instance endpoint.");
            }

            if (options.Port < 1 || options.Port > 65535)
            {
                throw new AuroraSecurityException("SqlPortInvalid", FailureKind.InvalidArgument, $"Port {options.Port} is not valid; Aurora MySQL listens on 3306 unless the cluster says otherwise.");
            }

            if (string.IsNullOrEmpty(options.User))
            {
                throw new AuroraSecurityException("SqlUserMissing", FailureKind.InvalidArgument, "A database user is required: pass -SqlCredential (Get-Credential) or -DbUser with -IamAuthentication.");
            }

            if (options.PasswordProvider != null && SqlSslModes.MayFallBackToPlaintext(options.SslMode))
            {
                // An IAM token is sent in clear text to the authentication plugin: only a connection that is always encrypted may carry it.
                throw new AuroraSecurityException(
                    "SqlIamAuthenticationNeedsTls",
                    FailureKind.InvalidArgument,
                    $"IAM database authentication sends its token in clear text as the password, so it needs a connection that is always encrypted: -SslMode {options.SslMode} can fall back to plaintext. " +
                    "Use -SslMode VerifyFull (the default) with -SslCa <RDS CA bundle>, or at least Required or VerifyCA.");
            }

            foreach (var version in options.TlsVersions)
            {
                try
                {
                    TlsCipherNames.NormalizeProtocol(version);
                }
                catch (ArgumentException)
                {
                    throw new AuroraSecurityException("SqlTlsVersionUnknown", FailureKind.InvalidArgument, $"'{version}' is not a TLS protocol version. Use TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3.");
                }
            }

            foreach (var cipher in options.TlsCipherSuites)
            {
                if (!TlsCipherNames.TryToIana(cipher, out _))
                {
                    throw TlsCipherNames.UnknownCipher(cipher);
                }
            }

            if (options.TlsCipherSuites.Count > 0 && !TlsProbe.CipherRestrictionSupported)
            {
                throw new AuroraSecurityException(
                    "SqlTlsCipherRestrictionUnsupported",
                    FailureKind.InvalidArgument,
                    "This platform cannot restrict TLS cipher suites (Windows, or Windows PowerShell 5.1): leave out -TlsCipherSuite, or run PowerShell 7 on Linux or macOS.");
            }

            if (!string.IsNullOrEmpty(options.SslCa) && Directory.Exists(options.SslCa))
            {
                throw new AuroraSecurityException(
                    "SqlCaFileIsDirectory",
                    FailureKind.InvalidArgument,
                    $"-SslCa '{options.SslCa}' is a directory, not a file. Pass the path of the CA bundle file itself (global-bundle.pem for RDS).");
            }

            if (!string.IsNullOrEmpty(options.SslCa) && !File.Exists(options.SslCa))
            {
                throw new AuroraSecurityException(
                    "SqlCaFileNotFound",
                    FailureKind.InvalidArgument,
                    $"The CA file '{options.SslCa}' does not exist. Download the RDS CA bundle (global-bundle.pem) and pass its path with -SslCa.");
            }
        }
    }
}
