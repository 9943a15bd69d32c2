using System;
using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>
    /// Endpoint overrides the way the AWS SDKs read them, first match wins: AWS_ENDPOINT_URL_&lt;SERVICE&gt;, AWS_ENDPOINT_URL,
    /// the profile's services section (&lt;service&gt; = / endpoint_url = …), the profile's endpoint_url. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
    /// (or the profile's ignore_configured_endpoint_urls) turns all of them off. An explicit -EndpointUrl wins over every one (the caller decides).
    /// </summary>
    public sealed class ServiceEndpoints
    {
        /// <summary>Secrets Manager's key in AWS_ENDPOINT_URL_SECRETS_MANAGER and in a profile's services section (secrets_manager =).</summary>
        public const string SecretsManagerServiceKey = "secrets_manager";

        private readonly Func<string, string?> _environment;
        private readonly AwsConfigFile _config;
        private readonly string? _profileName;

        public ServiceEndpoints(Func<string, string?> environment, AwsConfigFile config, string? profileName)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _config = config ?? throw new ArgumentNullException(nameof(config));
            _profileName = profileName;
        }

        /// <summary>The configured endpoint for <paramref name="serviceId"/> ("rds", "sts") and where it came from, or null for the regional default.</summary>
        public (Uri Endpoint, string Origin)? Configured(string serviceId)
        {
            var profile = _profileName == null ? null : _config.Profile(_profileName);
            if (IsTrue(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || (profile != null && IsTrue(Get(profile, "ignore_configured_endpoint_urls")))) return null;

            var envName = "AWS_ENDPOINT_URL_" + serviceId.ToUpperInvariant().Replace(' ', '_').Replace('-', '_');
            var fromService = _environment(envName);
            if (!string.IsNullOrWhiteSpace(fromService)) return (Parse(fromService!, "environment variable " + envName), "environment variable " + envName);
            var global = _environment("AWS_ENDPOINT_URL");
            if (!string.IsNullOrWhiteSpace(global)) return (Parse(global!, "environment variable AWS_ENDPOINT_URL"), "environment variable AWS_ENDPOINT_URL");
            if (profile == null) return null;

            var servicesName = Get(profile, "services");
            if (!string.IsNullOrWhiteSpace(servicesName))
            {
                var services = _config.Services(servicesName!);
                var value = services == null ? null : Get(services, serviceId.ToLowerInvariant() + ".endpoint_url");
                if (!string.IsNullOrWhiteSpace(value))
                {
                    var origin = "the services section '" + servicesName + "' of profile '" + _profileName + "'";
                    return (Parse(value!, origin), origin);
                }
            }

            var profileEndpoint = Get(profile, "endpoint_url");
            if (!string.IsNullOrWhiteSpace(profileEndpoint))
            {
                var origin = "endpoint_url of profile '" + _profileName + "'";
                return (Parse(profileEndpoint!, origin), origin);
            }

            return null;
        }

        /// <summary>The regional STS endpoint of a region's partition (sts.cn-north-1.amazonaws.com.cn in China).</summary>
        public static Uri RegionalSts(string region)
        {
            var suffix = AwsPartitions.OfRegion(region) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
            return new Uri("https://sts." + region + "." + suffix + "/");
        }

        private static string? Get(IReadOnlyDictionary<string, string> section, string key) => section.TryGetValue(key, out var value) ? value : null;

        private static bool IsTrue(string? value) => string.Equals((value ?? string.Empty).Trim(), "true", StringComparison.OrdinalIgnoreCase);

        private static Uri Parse(string value, string origin)
        {
            var text = value.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new AwsConfigurationException("The endpoint '" + EchoedInput.Shorten(text) + "' from " + origin + " is not an http(s) URL; correct or remove it.");
            }

            return uri;
        }
    }
}
