using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.PowerShell.Commands
{
    /// <summary>Base for cmdlets that call the RDS API: AWS.Tools credential/region parameters, provenance, cancellation.</summary>
    public abstract class AwsCmdletBase : AuroraCmdlet, IDisposable
    {
        private AwsContext? _context;
        private string? _contextKey;
        private IRdsApi? _rdsApi;
        private bool _disposed;

        [Parameter]
        [Alias("RegionToCall")]
        public string? Region { get; set; }

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
        public string? ProfileName { get; set; }

        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>An AWSCredentials object from any AWS.Tools/AWSSDK.Core version; typed loosely so every version binds.</summary>
        [Parameter]
        public PSObject? Credential { get; set; }

        [Parameter]
        public string? EndpointUrl { get; set; }

        /// <summary>Replaces client creation for every cmdlet (tests only).</summary>
        internal static Func<AwsContext, IRdsApi>? RdsApiFactoryOverride { get; set; }

        /// <summary>Resolves (once per distinct parameter set) credentials, region and endpoint, writing where each came from.</summary>
        protected AwsContext ResolveAwsContext()
        {
            var request = BuildContextRequest();
            var key = string.Join("\u0001", request.Region, request.ProfileName, request.ProfileLocation, request.AccessKey, request.EndpointUrl,
                request.Credential == null ? string.Empty : request.Credential.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_context != null && _contextKey == key) return _context;

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
            DisposeClient();
            _context = context;
            _contextKey = key;
            return context;
        }

        /// <summary>The RDS client for the current parameters; created on first use and reused for the pipeline.</summary>
        protected IRdsApi GetRdsApi()
        {
            var context = ResolveAwsContext();
            return _rdsApi ??= RdsApiFactoryOverride?.Invoke(context) ?? CreateRdsApi(context);
        }

        protected virtual IRdsApi CreateRdsApi(AwsContext context) => new RdsQueryClient(context.CreateClientOptions());

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            DisposeClient();
            GC.SuppressFinalize(this);
        }

        private AwsContextRequest BuildContextRequest() => new AwsContextRequest
        {
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
            ProfileName = ProfileName,
            ProfileLocation = ProfileLocation,
            Credential = Unwrap(Credential),
            StoredCredentials = Unwrap(SessionState.PSVariable.GetValue("StoredAWSCredentials")),
            Region = Region,
            StoredRegion = Unwrap(SessionState.PSVariable.GetValue("StoredAWSRegion")),
            EndpointUrl = EndpointUrl,
        };

        private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        private void DisposeClient()
        {
            (_rdsApi as IDisposable)?.Dispose();
            _rdsApi = null;
        }
    }
}
