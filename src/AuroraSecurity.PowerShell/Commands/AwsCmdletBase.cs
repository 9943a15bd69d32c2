using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Clusters;
using AuroraSecurity.Rds;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for cmdlets that call the RDS API: AWS.Tools credential/region parameters, provenance, cancellation.</summary>
    public abstract class AwsCmdletBase : AuroraCmdlet, IDisposable
    {
        private readonly Dictionary<string, AwsContext> _contexts = new Dictionary<string, AwsContext>(StringComparer.Ordinal);
        private readonly Dictionary<string, IRdsApi> _rdsApis = new Dictionary<string, IRdsApi>(StringComparer.Ordinal);
        private readonly Dictionary<string, AssumedRoleCredentialSource> _roles = new Dictionary<string, AssumedRoleCredentialSource>(StringComparer.Ordinal);
        private bool _disposed;

        /// <summary>The AWS region; cmdlets that read across regions take several.</summary>
        [Parameter]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Region { get; set; }

        [Parameter]
        [Alias("AK")]
        public string? AccessKey { get; set; }

        [Parameter]
        [Alias("SK", "SecretAccessKey")]
        public string? SecretKey { get; set; }

        [Parameter]
        [Alias("ST")]
        public string? SessionToken { get; set; }

        [Parameter]
        [Alias("StoredCredentials", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>An AWSCredentials object from any AWS.Tools/AWSSDK.Core version; typed loosely so every version binds.</summary>
        [Parameter]
        public PSObject? Credential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        /// <summary>An IAM role to assume with the credentials found first; the audit takes one per account.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? RoleArn { get; set; }

        /// <summary>The external id the role's trust policy requires.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExternalId { get; set; }

        /// <summary>The session name CloudTrail records for the assumed role (default AuroraSecurity).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RoleSessionName { get; set; }

        /// <summary>Replaces client creation for every cmdlet (tests only).</summary>
        internal static Func<AwsContext, IRdsApi>? RdsApiFactoryOverride { get; set; }

        /// <summary>
        /// A per-cluster login (-SqlCredential, -IamAuthentication -DbUser or -UseManagedMasterSecret) checked before any request: a combination
        /// that is not one way to log in stops the cmdlet, and one that will not verify TLS fully is warned about, saying what it is used for.
        /// </summary>
        private protected ClusterLogin CheckLogin(ClusterLogin login, string use)
        {
            try
            {
                login.Validate();
            }
            catch (ArgumentException e)
            {
                ThrowFailure(e, null);
            }

            var unverified = login.UnverifiedWarning(use);
            if (unverified != null) WriteWarning(unverified);
            return login;
        }

        /// <summary>True when this cmdlet reads several regions in one run; the others refuse more than one -Region.</summary>
        protected virtual bool AcceptsSeveralRegions => false;

        /// <summary>True when this cmdlet works across several accounts (one -RoleArn each); the others refuse more than one.</summary>
        protected virtual bool AcceptsSeveralRoles => false;

        /// <summary>The roles given with -RoleArn, trimmed and without repeats.</summary>
        protected IReadOnlyList<string> RequestedRoles =>
            (RoleArn ?? new string[0]).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The regions given with -Region, trimmed and without repeats (empty when -Region was not given).</summary>
        protected IReadOnlyList<string> RequestedRegions =>
            (Region ?? new string[0]).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>
        /// The region a request about <paramref name="arn"/> goes to: the ARN's own. When -Region was given and does not include it,
        /// the ARN contradicts the caller and is refused (nothing is sent anywhere).
        /// </summary>
        protected string RegionForArn(ClusterArn arn)
        {
            var requested = RequestedRegions;
            if (requested.Count > 0 && !requested.Contains(arn.Region, StringComparer.Ordinal))
            {
                throw arn.RegionMismatch($"-Region is {string.Join(", ", requested.Select(r => EchoedInput.Shorten(r, 40)))}");
            }

            return arn.Region;
        }

        /// <summary>
        /// Resolves (once per distinct parameter set and region) credentials, region and endpoint, writing where each came from.
        /// <paramref name="region"/> overrides -Region (an ARN's region, one of several regions).
        /// </summary>
        protected AwsContext ResolveAwsContext(string? region = null)
        {
            if (region == null && !AcceptsSeveralRegions && RequestedRegions.Count > 1)
            {
                ThrowFailure(new AuroraSecurityException("SeveralRegionsNotAccepted", FailureKind.InvalidArgument,
                    $"{MyInvocation.MyCommand.Name} works in one region at a time; give -Region one value."), Region);
            }

            if (!AcceptsSeveralRoles && RequestedRoles.Count > 1)
            {
                ThrowFailure(new AuroraSecurityException("SeveralRolesNotAccepted", FailureKind.InvalidArgument,
                    $"{MyInvocation.MyCommand.Name} assumes one role; give -RoleArn one value."), RoleArn);
            }

            var request = BuildContextRequest(region);
            var key = string.Join("\u0001", request.Region, request.ProfileName, request.ProfileLocation, request.AccessKey, request.EndpointUrl, request.RoleArn,
                request.Credential == null ? string.Empty : request.Credential.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_contexts.TryGetValue(key, out var known)) return known;

            AwsContext context;
            try
            {
                context = new AwsContextResolver().Resolve(request);
            }
            catch (Exception e) when (IsFailure(e))
            {
                ThrowFailure(e, null);
                throw;
            }

            foreach (var line in context.Provenance) WriteDebug(line);
            _contexts[key] = context;
            return context;
        }

        /// <summary>The RDS client for the current parameters (and <paramref name="region"/>, if given); created on first use and reused for the pipeline.</summary>
        protected IRdsApi GetRdsApi(string? region = null) => GetRdsApi(ResolveAwsContext(region));

        /// <summary>The RDS client for <paramref name="context"/>; created on first use and reused for the pipeline.</summary>
        protected IRdsApi GetRdsApi(AwsContext context)
        {
            var key = context.Region + "\u0001" + context.Endpoint + "\u0001" + context.CredentialProvenance;
            if (_rdsApis.TryGetValue(key, out var api)) return api;
            api = RdsApiFactoryOverride?.Invoke(context) ?? CreateRdsApi(context);
            _rdsApis[key] = api;
            return api;
        }

        /// <summary>
        /// The context for one account and region: <paramref name="roleArn"/> (one of several -RoleArn values) is assumed once per
        /// invocation with the credentials found, and its credentials are shared by every region.
        /// </summary>
        protected AwsContext ContextFor(string? region, string? roleArn)
        {
            var context = ResolveAwsContext(region);
            if (roleArn == null) return context;
            if (!_roles.TryGetValue(roleArn, out var role))
            {
                role = context.CreateRoleSource(RoleSettings(roleArn));
                _roles[roleArn] = role;
            }

            var assumed = context.WithRole(role);
            // Said once per role and region: where the credentials come from, never the keys themselves.
            if (_rolesShown.Add(roleArn + "\u0001" + assumed.Region)) WriteDebug(assumed.CredentialProvenance);
            return assumed;
        }

        private readonly HashSet<string> _rolesShown = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>When set, every RDS client of this invocation shares it: one limit on requests in flight across accounts and regions.</summary>
        protected SemaphoreSlim? SharedThrottle { get; set; }

        protected virtual IRdsApi CreateRdsApi(AwsContext context)
        {
            var options = context.CreateClientOptions();
            options.SharedThrottle = SharedThrottle;
            return new RdsQueryClient(options);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            DisposeOwnResources();
            DisposeClient();
            foreach (var role in _roles.Values) role.Dispose();
            SharedThrottle?.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases what a derived cmdlet holds beyond the RDS clients (also when Ctrl+C stopped the pipeline before EndProcessing).</summary>
        protected virtual void DisposeOwnResources()
        {
        }

        private AwsContextRequest BuildContextRequest(string? region) => new AwsContextRequest
        {
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
            ProfileName = ProfileName,
            ProfileLocation = ResolveFilePath(ProfileLocation),
            Credential = PSValue.Unwrap(Credential),
            StoredCredentials = PSValue.Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
            Region = region ?? RequestedRegions.FirstOrDefault(),
            StoredRegion = PSValue.Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion")),
            EndpointUrl = EndpointUrl,
            // The audit assumes each of several roles itself; every other cmdlet assumes its one role here.
            RoleArn = AcceptsSeveralRoles ? null : RequestedRoles.FirstOrDefault(),
            ExternalId = ExternalId,
            RoleSessionName = RoleSessionName,
            MfaTokenCode = AskForMfaCode,
        };

        /// <summary>The settings for assuming <paramref name="roleArn"/> with this cmdlet's -ExternalId and -RoleSessionName.</summary>
        protected AssumeRoleSettings RoleSettings(string roleArn) => new AssumeRoleSettings(roleArn)
        {
            ExternalId = ExternalId,
            RoleSessionName = RoleSessionName ?? AssumeRoleSettings.DefaultSessionName,
            MfaTokenCode = AskForMfaCode,
            Origin = "-RoleArn",
        };

        // Asks on the host when it can; a host that cannot ask (pwsh -NonInteractive, a job, a Lambda) gets a clear error instead.
        private string? AskForMfaCode(string serial)
        {
            try
            {
                Host.UI.Write($"MFA code for {serial}: ");
                return Host.UI.ReadLine();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException || e is InvalidOperationException)
            {
                return null;
            }
        }

        private void DisposeClient()
        {
            foreach (var api in _rdsApis.Values) (api as IDisposable)?.Dispose();
            _rdsApis.Clear();
        }
    }
}
