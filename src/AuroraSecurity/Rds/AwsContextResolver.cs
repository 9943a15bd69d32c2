using System;
using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace AuroraSecurity.Rds
{
    /// <summary>Finds credentials, region and endpoint in the order AWS Tools for PowerShell uses.</summary>
    public sealed class AwsContextResolver
    {
        private const string HowToSetCredentials =
            "Pass -ProfileName, or -AccessKey and -SecretKey; or run Set-AWSCredential; or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; " +
            "or create a default profile (aws configure); or run where a container or instance role is available.";

        private const string HowToSetRegion =
            "Pass -Region (e.g. -Region eu-west-1); or run Set-DefaultAWSRegion; or set AWS_REGION; or add region to your AWS profile.";

        private readonly Func<string, string?> _environment;
        private readonly Func<AWSCredentials> _sdkCredentialChain;
        private readonly Func<string?> _sdkRegion;

        public AwsContextResolver()
            : this(Environment.GetEnvironmentVariable, null, null)
        {
        }

        /// <summary>Test seam: the environment, and the SDK's container/instance fallbacks, can be replaced.</summary>
        internal AwsContextResolver(Func<string, string?> environment, Func<AWSCredentials>? sdkCredentialChain, Func<string?>? sdkRegion)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _sdkCredentialChain = sdkCredentialChain ?? DefaultSdkCredentialChain;
            _sdkRegion = sdkRegion ?? DefaultSdkRegion;
        }

        public AwsContext Resolve(AwsContextRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            // The profile is read only when a step needs it: explicit keys win without touching it.
            var explicitProfile = new Lazy<NamedProfile?>(() => ExplicitProfile(request));
            var (credentials, credentialProvenance) = ResolveCredentials(request, explicitProfile);
            var (region, regionProvenance) = ResolveRegion(request, explicitProfile);
            var (endpointUrl, endpointSource) = ResolveEndpointUrl(request);
            var endpoint = RdsEndpoint.Resolve(region, endpointUrl);
            var endpointProvenance = endpointSource == null
                ? "endpoint " + endpoint + " (regional default)"
                : "endpoint " + endpoint + " from " + endpointSource;
            return new AwsContext(credentials, region, endpoint, credentialProvenance, regionProvenance, endpointProvenance);
        }

        // -EndpointUrl, then the AWS SDKs' service-specific and global endpoint variables, unless the user turned those off.
        private (string?, string?) ResolveEndpointUrl(AwsContextRequest request)
        {
            // A blank -EndpointUrl is refused by RdsEndpoint, never taken as "not given".
            if (request.EndpointUrl != null) return (request.EndpointUrl, "-EndpointUrl");
            if (string.Equals(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return (null, null);
            foreach (var name in new[] { "AWS_ENDPOINT_URL_RDS", "AWS_ENDPOINT_URL" })
            {
                var value = _environment(name);
                if (!string.IsNullOrWhiteSpace(value)) return (value!.Trim(), name);
            }

            return (null, null);
        }

        private (IAwsCredentialSource, string) ResolveCredentials(AwsContextRequest request, Lazy<NamedProfile?> explicitProfile)
        {
            if (!string.IsNullOrWhiteSpace(request.AccessKey) || !string.IsNullOrWhiteSpace(request.SecretKey))
            {
                if (string.IsNullOrWhiteSpace(request.AccessKey) || string.IsNullOrWhiteSpace(request.SecretKey))
                {
                    throw new AwsConfigurationException("-AccessKey and -SecretKey must be given together.");
                }

                var keys = new AwsCredentialSet(request.AccessKey!, request.SecretKey!, request.SessionToken);
                return (new StaticCredentialSource(keys), "credentials from -AccessKey/-SecretKey" + (keys.HasSessionToken ? " with -SessionToken" : string.Empty));
            }

            if (explicitProfile.Value != null)
            {
                return (ProfileCredentials(explicitProfile.Value), "credentials from profile '" + explicitProfile.Value.Name + "'" + LocationSuffix(request.ProfileLocation));
            }

            if (request.Credential != null)
            {
                return (ForeignCredentials(request.Credential, "-Credential"), "credentials from -Credential (" + request.Credential.GetType().Name + ")");
            }

            if (request.StoredCredentials != null)
            {
                if (request.StoredCredentials is string storedProfile)
                {
                    var profile = LoadProfile(storedProfile, request.ProfileLocation, "$StoredAWSCredentials");
                    return (ProfileCredentials(profile), "credentials from profile '" + storedProfile + "' named by $StoredAWSCredentials");
                }

                return (ForeignCredentials(request.StoredCredentials, "$StoredAWSCredentials"), "credentials from $StoredAWSCredentials (" + request.StoredCredentials.GetType().Name + ")");
            }

            var fromEnvironment = EnvironmentCredentials();
            if (fromEnvironment != null) return (new StaticCredentialSource(fromEnvironment), "credentials from environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");

            var defaultProfile = DefaultProfile(request.ProfileLocation);
            if (defaultProfile != null)
            {
                return (ProfileCredentials(defaultProfile), "credentials from default profile '" + defaultProfile.Name + "'" + LocationSuffix(request.ProfileLocation));
            }

            AWSCredentials fallback;
            try
            {
                fallback = _sdkCredentialChain();
            }
            catch (Exception e)
            {
                throw new AwsConfigurationException("No AWS credentials were found. " + HowToSetCredentials, e);
            }

            return (new SdkCredentialSource(fallback), "credentials from the AWS SDK fallback chain (" + fallback.GetType().Name + ")");
        }

        private (string, string) ResolveRegion(AwsContextRequest request, Lazy<NamedProfile?> explicitProfile)
        {
            if (!string.IsNullOrWhiteSpace(request.Region)) return (CheckedRegion(request.Region!), "region " + request.Region!.Trim() + " from -Region");

            var stored = RegionName(request.StoredRegion);
            if (stored != null) return (CheckedRegion(stored), "region " + stored + " from $StoredAWSRegion");

            var profile = explicitProfile.Value ?? TryDefaultProfileForRegion(request.ProfileLocation);
            var profileRegion = profile?.Profile.Region?.SystemName;
            if (!string.IsNullOrWhiteSpace(profileRegion)) return (CheckedRegion(profileRegion!), "region " + profileRegion + " from profile '" + profile!.Name + "'");

            foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                var value = _environment(variable);
                if (!string.IsNullOrWhiteSpace(value)) return (CheckedRegion(value!), "region " + value!.Trim() + " from environment variable " + variable);
            }

            string? sdkRegion;
            try
            {
                sdkRegion = _sdkRegion();
            }
            catch (Exception e)
            {
                throw new AwsConfigurationException("No AWS region was found. " + HowToSetRegion, e);
            }

            if (string.IsNullOrWhiteSpace(sdkRegion)) throw new AwsConfigurationException("No AWS region was found. " + HowToSetRegion);
            return (CheckedRegion(sdkRegion!), "region " + sdkRegion + " from the AWS SDK fallback (instance metadata)");
        }

        private static string CheckedRegion(string region)
        {
            var trimmed = region.Trim();
            try
            {
                RdsEndpoint.ValidateRegion(trimmed);
            }
            catch (ArgumentException e)
            {
                throw new AwsConfigurationException(e.Message.Split('\r', '\n')[0].Replace(" (Parameter 'region')", string.Empty) + " " + HowToSetRegion, e);
            }

            return trimmed;
        }

        /// <summary>Reads a region name from a string or any object with a SystemName property (RegionEndpoint of any version).</summary>
        internal static string? RegionName(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case string s:
                    return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
                default:
                    var property = value.GetType().GetProperty("SystemName", BindingFlags.Public | BindingFlags.Instance);
                    var name = property?.GetValue(value, null) as string;
                    if (!string.IsNullOrWhiteSpace(name)) return name!.Trim();
                    var text = value.ToString();
                    return string.IsNullOrWhiteSpace(text) || text == value.GetType().FullName ? null : text!.Trim();
            }
        }

        private NamedProfile? ExplicitProfile(AwsContextRequest request) =>
            string.IsNullOrWhiteSpace(request.ProfileName) ? null : LoadProfile(request.ProfileName!.Trim(), request.ProfileLocation, "-ProfileName");

        private static NamedProfile LoadProfile(string name, string? location, string origin)
        {
            CredentialProfile? profile;
            try
            {
                var chain = Store(location);
                if (chain.TryGetProfile(name, out profile) && profile != null) return new NamedProfile(name, profile, chain);
            }
            catch (Exception e) when (!(e is AwsConfigurationException))
            {
                throw new AwsConfigurationException("The AWS profile '" + name + "' (" + origin + ") could not be read" + LocationSuffix(location) + ": " + e.Message, e);
            }

            throw new AwsConfigurationException(
                "The AWS profile '" + name + "' (" + origin + ") was not found" + LocationSuffix(location) +
                ". Check the name with Get-AWSCredential -ListProfileDetail or 'aws configure list-profiles', or create it with Set-AWSCredential or 'aws configure --profile " + name + "'.");
        }

        private NamedProfile? DefaultProfile(string? location)
        {
            var configured = _environment("AWS_PROFILE");
            if (!string.IsNullOrWhiteSpace(configured)) return LoadProfile(configured!.Trim(), location, "environment variable AWS_PROFILE");
            try
            {
                var chain = Store(location);
                return chain.TryGetProfile(SharedCredentialsFile.DefaultProfileName, out var profile) && profile != null
                    ? new NamedProfile(SharedCredentialsFile.DefaultProfileName, profile, chain)
                    : null;
            }
            catch (Exception e)
            {
                throw new AwsConfigurationException("The default AWS profile could not be read" + LocationSuffix(location) + ": " + e.Message, e);
            }
        }

        private NamedProfile? TryDefaultProfileForRegion(string? location)
        {
            try
            {
                return DefaultProfile(location);
            }
            catch (AwsConfigurationException)
            {
                // Credentials came from elsewhere; an unreadable default profile must not block region lookup.
                return null;
            }
        }

        private static IAwsCredentialSource ProfileCredentials(NamedProfile profile)
        {
            AWSCredentials? credentials;
            try
            {
                credentials = profile.Profile.GetAWSCredentials(profile.Store);
            }
            catch (Exception e)
            {
                throw new AwsConfigurationException("The AWS profile '" + profile.Name + "' has no usable credentials: " + e.Message, e);
            }

            if (credentials == null) throw new AwsConfigurationException("The AWS profile '" + profile.Name + "' has no usable credentials.");
            return new SdkCredentialSource(credentials);
        }

        private static IAwsCredentialSource ForeignCredentials(object value, string origin)
        {
            if (!ReflectedCredentialSource.CanRead(value))
            {
                throw new AwsConfigurationException(
                    origin + " holds an object of type '" + value.GetType().FullName + "', which is not AWS credentials. Pass an AWSCredentials object (for example from Get-AWSCredential).");
            }

            return new ReflectedCredentialSource(value);
        }

        private AwsCredentialSet? EnvironmentCredentials()
        {
            var accessKey = _environment("AWS_ACCESS_KEY_ID");
            var secretKey = _environment("AWS_SECRET_ACCESS_KEY");
            if (string.IsNullOrWhiteSpace(accessKey) && string.IsNullOrWhiteSpace(secretKey)) return null;
            if (string.IsNullOrWhiteSpace(accessKey) || string.IsNullOrWhiteSpace(secretKey))
            {
                throw new AwsConfigurationException("Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; set both, or neither. " + HowToSetCredentials);
            }

            return new AwsCredentialSet(accessKey!, secretKey!, _environment("AWS_SESSION_TOKEN"));
        }

        private static ICredentialProfileSource Store(string? location) =>
            string.IsNullOrWhiteSpace(location) ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(location);

        private static string LocationSuffix(string? location) =>
            string.IsNullOrWhiteSpace(location) ? string.Empty : " in '" + location + "'";

        private static AWSCredentials DefaultSdkCredentialChain() =>
            // The SDK chain tries environment, profiles, web identity, container and instance roles.
            new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null!);

        private static string? DefaultSdkRegion() => FallbackRegionFactory.GetRegionEndpoint()?.SystemName;

        private sealed class NamedProfile
        {
            public NamedProfile(string name, CredentialProfile profile, ICredentialProfileSource store)
            {
                Name = name;
                Profile = profile;
                Store = store;
            }

            public string Name { get; }

            public CredentialProfile Profile { get; }

            public ICredentialProfileSource Store { get; }
        }
    }
}
