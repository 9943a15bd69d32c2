using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// Credentials of an assumed IAM role: STS AssumeRole with the source credentials, renewed before they expire, so a long run
    /// never signs with expired keys. The keys never appear in a message.
    /// </summary>
    public sealed class AssumedRoleCredentialSource : IAwsCredentialSource, IDisposable
    {
        /// <summary>Credentials closer than this to expiry are renewed first (the SDKs use a few minutes as well).</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

        private readonly IAwsCredentialSource _source;
        private readonly AssumeRoleSettings _settings;
        private readonly Lazy<(Uri Endpoint, string Region)> _target;
        private readonly Func<DateTime> _utcNow;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private AwsCredentialSet? _current;
        private DateTime _expires;
        private int _assumeCount;

        public AssumedRoleCredentialSource(IAwsCredentialSource source, AssumeRoleSettings settings, Uri stsEndpoint, string region, Func<DateTime>? utcNow = null)
            : this(source, settings, () => (stsEndpoint ?? throw new ArgumentNullException(nameof(stsEndpoint)), region ?? throw new ArgumentNullException(nameof(region))), utcNow)
        {
        }

        /// <summary>For a role whose STS endpoint and signing region are known only once the region is resolved (a profile's role).</summary>
        public AssumedRoleCredentialSource(IAwsCredentialSource source, AssumeRoleSettings settings, Func<(Uri Endpoint, string Region)> target, Func<DateTime>? utcNow = null)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _settings.Validate();
            if (target == null) throw new ArgumentNullException(nameof(target));
            _target = new Lazy<(Uri, string)>(target);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        public AssumeRoleSettings Settings => _settings;

        /// <summary>How many times the role was assumed (renewals included).</summary>
        public int AssumeCount => Volatile.Read(ref _assumeCount);

        public async Task<AwsCredentialSet> GetCredentialsAsync(CancellationToken cancellationToken)
        {
            var current = _current;
            if (current != null && _utcNow() < _expires - RenewBefore) return current;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_current != null && _utcNow() < _expires - RenewBefore) return _current;
                var (credentials, expires) = await AssumeAsync(cancellationToken).ConfigureAwait(false);
                _current = credentials;
                _expires = expires;
                Interlocked.Increment(ref _assumeCount);
                return credentials;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();

        public override string ToString() => "AssumedRoleCredentialSource(" + _settings.RoleArn + ")";

        private async Task<(AwsCredentialSet, DateTime)> AssumeAsync(CancellationToken cancellationToken)
        {
            var request = new AssumeRoleRequest
            {
                RoleArn = _settings.RoleArn,
                RoleSessionName = _settings.RoleSessionName,
                ExternalId = _settings.ExternalId,
                DurationSeconds = _settings.DurationSeconds,
            };
            if (!string.IsNullOrEmpty(_settings.MfaSerial))
            {
                var code = _settings.MfaTokenCode?.Invoke(_settings.MfaSerial!);
                if (string.IsNullOrWhiteSpace(code))
                {
                    throw new AuroraSecurityException("MfaCodeNeeded", FailureKind.SecurityError,
                        $"Role {_settings.RoleArn} ({_settings.Origin}) requires an MFA code from {_settings.MfaSerial}, and this host cannot ask for one (non-interactive). " +
                        "Run the command in an interactive PowerShell, or get temporary credentials first (aws sts get-session-token --serial-number … --token-code …) and pass them as -AccessKey/-SecretKey/-SessionToken.");
                }

                request.SerialNumber = _settings.MfaSerial;
                request.TokenCode = code!.Trim();
            }

            var (stsEndpoint, region) = _target.Value;
            var config = new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = stsEndpoint.ToString(),
                AuthenticationRegion = region,
                MaxErrorRetry = 3,
            };
            try
            {
                using (var sts = new AmazonSecurityTokenServiceClient(new CredentialSourceAdapter(_source), config))
                {
                    var response = await sts.AssumeRoleAsync(request, cancellationToken).ConfigureAwait(false);
                    var c = response.Credentials;
                    if (c == null || string.IsNullOrEmpty(c.AccessKeyId) || string.IsNullOrEmpty(c.SecretAccessKey))
                    {
                        throw RoleNotAssumed(FailureKind.ServiceError, $"STS returned no credentials for role {_settings.RoleArn} ({_settings.Origin}).");
                    }

                    var expires = c.Expiration.HasValue ? c.Expiration.Value.ToUniversalTime() : _utcNow().AddMinutes(15);
                    return (new AwsCredentialSet(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expires);
                }
            }
            catch (AmazonSecurityTokenServiceException e)
            {
                throw RoleNotAssumed(e.ErrorCode == "AccessDenied" ? FailureKind.PermissionDenied : FailureKind.ServiceError,
                    $"Role {_settings.RoleArn} ({_settings.Origin}) could not be assumed: {e.ErrorCode} {FirstLine(e.Message)} " +
                    "Check that the role exists, that its trust policy lets these credentials assume it, and the external id it requires (-ExternalId / external_id).", e);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is AuroraSecurityException))
            {
                throw RoleNotAssumed(FailureKind.ConnectionError,
                    $"Role {_settings.RoleArn} ({_settings.Origin}) could not be assumed: STS at {stsEndpoint.Host} failed ({e.GetType().Name}: {FirstLine(e.Message)}).", e);
            }
        }

        /// <summary>The id of a role that could not be assumed.</summary>
        public const string RoleNotAssumedId = "RoleNotAssumed";

        private static AuroraSecurityException RoleNotAssumed(FailureKind kind, string message, Exception? innerException = null) =>
            new AuroraSecurityException(RoleNotAssumedId, kind, message, innerException);

        private static string FirstLine(string? text) => EchoedInput.Shorten((text ?? string.Empty).Split('\n')[0].Trim(), 300);
    }
}
