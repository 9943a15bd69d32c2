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
            var state = new Resolution(request, _environment);
            var explicitProfile = new Lazy<NamedProfile?>(() => ExplicitProfile(request, state));
            var (credentials, credentialProvenance) = ResolveCredentials(request, explicitProfile, state);
            var (region, regionProvenance) = ResolveRegion(request, explicitProfile, state);
            state.Region = region;

            // The profile named for endpoint settings, without loading it: explicit keys never need the profile to exist.
            var profileName = explicitProfile.IsValueCreated ? explicitProfile.Value?.Name : null;
            if (profileName == null && !string.IsNullOrWhiteSpace(request.ProfileName)) profileName = request.ProfileName!.Trim();
            var endpoints = new ServiceEndpoints(_environment, state.Config, profileName ?? ActiveProfileName());
            Uri endpoint;
            string endpointProvenance;
            var configured = request.EndpointUrl == null ? endpoints.Configured("rds") : null;
            if (configured != null)
            {
                endpoint = configured.Value.Endpoint;
                endpointProvenance = "endpoint " + endpoint + " from " + configured.Value.Origin;
            }
            else
            {
                endpoint = RdsEndpoint.Resolve(region, request.EndpointUrl);
                endpointProvenance = request.EndpointUrl == null ? "endpoint " + endpoint + " (regional default)" : "endpoint " + endpoint + " from -EndpointUrl";
            }

            Func<string, (Uri, string)> stsFor = r => endpoints.Configured("sts") ?? (ServiceEndpoints.RegionalSts(r), "regional default");
            state.StsFor = stsFor;
            var context = new AwsContext(credentials, region, endpoint, credentialProvenance, regionProvenance, endpointProvenance)
            {
                StsEndpointFor = stsFor,
                Ec2Endpoint = request.EndpointUrl != null ? endpoint : endpoints.Configured("ec2")?.Endpoint,
                SecretsManagerEndpoint = request.EndpointUrl != null ? endpoint : endpoints.Configured(ServiceEndpoints.SecretsManagerServiceKey)?.Endpoint,
            };
            if (string.IsNullOrWhiteSpace(request.RoleArn)) return context;

            var settings = new AssumeRoleSettings(request.RoleArn!)
            {
                ExternalId = string.IsNullOrEmpty(request.ExternalId) ? null : request.ExternalId,
                RoleSessionName = request.RoleSessionName ?? AssumeRoleSettings.DefaultSessionName,
                MfaTokenCode = request.MfaTokenCode,
                Origin = "-RoleArn",
            };
            return context.WithRole(context.CreateRoleSource(settings));
        }

        private string ActiveProfileName()
        {
            var configured = _environment("AWS_PROFILE");
            return string.IsNullOrWhiteSpace(configured) ? SharedCredentialsFile.DefaultProfileName : configured!.Trim();
        }

        private (IAwsCredentialSource, string) ResolveCredentials(AwsContextRequest request, Lazy<NamedProfile?> explicitProfile, Resolution state)
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
                return (ProfileCredentials(explicitProfile.Value, state), "credentials from profile '" + explicitProfile.Value.Name + "'" + LocationSuffix(request.ProfileLocation));
            }

            if (request.Credential != null)
            {
                return (ForeignCredentials(request.Credential, "-Credential"), "credentials from -Credential (" + request.Credential.GetType().Name + ")");
            }

            if (request.StoredCredentials != null)
            {
                if (request.StoredCredentials is string storedProfile)
                {
                    var profile = LoadProfile(storedProfile, state, "$StoredAWSCredentials");
                    return (ProfileCredentials(profile, state), "credentials from profile '" + storedProfile + "' named by $StoredAWSCredentials");
                }

                return (ForeignCredentials(request.StoredCredentials, "$StoredAWSCredentials"), "credentials from $StoredAWSCredentials (" + request.StoredCredentials.GetType().Name + ")");
            }

            var fromEnvironment = EnvironmentCredentials();
            if (fromEnvironment != null) return (new StaticCredentialSource(fromEnvironment), "credentials from environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");

            var defaultProfile = DefaultProfile(state);
            if (defaultProfile != null)
            {
                return (ProfileCredentials(defaultProfile, state), "credentials from default profile '" + defaultProfile.Name + "'" + LocationSuffix(request.ProfileLocation));
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

        private (string, string) ResolveRegion(AwsContextRequest request, Lazy<NamedProfile?> explicitProfile, Resolution state)
        {
            if (!string.IsNullOrWhiteSpace(request.Region)) return (CheckedRegion(request.Region!), "region " + request.Region!.Trim() + " from -Region");

            var stored = RegionName(request.StoredRegion);
            if (stored != null) return (CheckedRegion(stored), "region " + stored + " from $StoredAWSRegion");

            var profile = explicitProfile.Value ?? TryDefaultProfileForRegion(state);
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

        private static NamedProfile? ExplicitProfile(AwsContextRequest request, Resolution state) =>
            string.IsNullOrWhiteSpace(request.ProfileName) ? null : LoadProfile(request.ProfileName!.Trim(), state, "-ProfileName");

        private static NamedProfile LoadProfile(string name, Resolution state, string origin)
        {
            var location = state.Request.ProfileLocation;
            CredentialProfile? profile;
            try
            {
                var store = state.Store;
                if (store.TryGetProfile(name, out profile) && profile != null) return new NamedProfile(name, profile, store);
            }
            catch (Exception e) when (!(e is AwsConfigurationException))
            {
                throw new AwsConfigurationException("The AWS profile '" + name + "' (" + origin + ") could not be read" + LocationSuffix(location) + ": " + e.Message, e);
            }

            throw new AwsConfigurationException(
                "The AWS profile '" + name + "' (" + origin + ") was not found" +
                (string.IsNullOrWhiteSpace(location) ? " in '" + state.Store.CredentialsPath + "' or '" + state.Store.ConfigPath + "'" : LocationSuffix(location)) +
                ". Check the name with Get-AWSCredential -ListProfileDetail or 'aws configure list-profiles', or create it with Set-AWSCredential or 'aws configure --profile " + name + "'.");
        }

        private NamedProfile? DefaultProfile(Resolution state)
        {
            var location = state.Request.ProfileLocation;
            var configured = _environment("AWS_PROFILE");
            if (!string.IsNullOrWhiteSpace(configured)) return LoadProfile(configured!.Trim(), state, "environment variable AWS_PROFILE");
            try
            {
                var store = state.Store;
                return store.TryGetProfile(SharedCredentialsFile.DefaultProfileName, out var profile) && profile != null
                    ? new NamedProfile(SharedCredentialsFile.DefaultProfileName, profile, store)
                    : null;
            }
            catch (Exception e)
            {
                throw new AwsConfigurationException("The default AWS profile could not be read" + LocationSuffix(location) + ": " + e.Message, e);
            }
        }

        private NamedProfile? TryDefaultProfileForRegion(Resolution state)
        {
            try
            {
                return DefaultProfile(state);
            }
            catch (AwsConfigurationException)
            {
                // Credentials came from elsewhere; an unreadable default profile must not block region lookup.
                return null;
            }
        }

        private static IAwsCredentialSource ProfileCredentials(NamedProfile profile, Resolution state, int depth = 0)
        {
            var options = profile.Profile.Options;
            // A role with a source profile is assumed here rather than by AWSSDK.Core, so that duration_seconds, the profile's
            // STS endpoint (services / endpoint_url) and the resolved region are honoured, and failures say which profile.
            if (!string.IsNullOrEmpty(options.RoleArn) && !string.IsNullOrEmpty(options.SourceProfile) && string.IsNullOrEmpty(options.WebIdentityTokenFile))
            {
                if (depth >= 5) throw new AwsConfigurationException("The AWS profile '" + profile.Name + "' is part of a source_profile chain longer than 5 (or a loop); shorten it.");
                var source = LoadProfile(options.SourceProfile!, state, "source_profile of profile '" + profile.Name + "'");
                var sourceCredentials = string.Equals(source.Name, profile.Name, StringComparison.Ordinal) && source.Profile.Options.AccessKey != null
                    ? SdkProfileCredentials(source)
                    : ProfileCredentials(source, state, depth + 1);
                var section = state.Config.Profile(profile.Name);
                int? duration = null;
                if (section != null && section.TryGetValue("duration_seconds", out var text) && !string.IsNullOrWhiteSpace(text))
                {
                    if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                    {
                        throw new AwsConfigurationException("duration_seconds of AWS profile '" + profile.Name + "' is not a whole number of seconds.");
                    }

                    duration = seconds;
                }

                try
                {
                    var settings = new AssumeRoleSettings(options.RoleArn!)
                    {
                        ExternalId = string.IsNullOrEmpty(options.ExternalID) ? null : options.ExternalID,
                        RoleSessionName = string.IsNullOrEmpty(options.RoleSessionName) ? AssumeRoleSettings.DefaultSessionName : options.RoleSessionName!,
                        MfaSerial = string.IsNullOrEmpty(options.MfaSerial) ? null : options.MfaSerial,
                        MfaTokenCode = state.Request.MfaTokenCode,
                        DurationSeconds = duration,
                        Origin = "profile '" + profile.Name + "'",
                    };
                    return new AssumedRoleCredentialSource(sourceCredentials, settings, () =>
                    {
                        var region = state.Region ?? "us-east-1";
                        var (endpoint, _) = state.StsFor != null ? state.StsFor(region) : (ServiceEndpoints.RegionalSts(region), string.Empty);
                        return (endpoint, region);
                    });
                }
                catch (AuroraSecurityException e)
                {
                    throw new AwsConfigurationException("The AWS profile '" + profile.Name + "' cannot be used: " + e.Message, e);
                }
            }

            return SdkProfileCredentials(profile);
        }

        private static IAwsCredentialSource SdkProfileCredentials(NamedProfile profile)
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

        private static string LocationSuffix(string? location) =>
            string.IsNullOrWhiteSpace(location) ? string.Empty : " in '" + location + "'";

        private static AWSCredentials DefaultSdkCredentialChain()
        {
            // The SDK keeps what it read of the environment and config file from its first use; a session that has changed
            // AWS_* variables since ($env:AWS_EC2_METADATA_SERVICE_ENDPOINT, a web identity token file) must be read afresh.
            Amazon.Runtime.Internal.FallbackInternalConfigurationFactory.Reset();
            // The SDK chain tries environment, profiles, web identity, container and instance roles.
            return new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null!);
        }

        private static string? DefaultSdkRegion() => FallbackRegionFactory.GetRegionEndpoint()?.SystemName;

        // What one resolution learns as it goes: the profile files (named by the environment as it is now, read once) and, once known,
        // the region and STS endpoint a profile's role uses.
        private sealed class Resolution
        {
            private readonly Lazy<SharedProfileStore> _store;

            public Resolution(AwsContextRequest request, Func<string, string?> environment)
            {
                Request = request;
                _store = new Lazy<SharedProfileStore>(() => SharedProfileStore.Open(environment, request.ProfileLocation));
            }

            public AwsContextRequest Request { get; }

            public SharedProfileStore Store => _store.Value;

            public AwsConfigFile Config => Store.Settings;

            public string? Region { get; set; }

            public Func<string, (Uri, string)>? StsFor { get; set; }
        }

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
