using System;
using System.Collections.Generic;

namespace AuroraSecurity.Rds
{
    /// <summary>Resolved AWS credentials, region and endpoint, with where each came from (never the secrets).</summary>
    public sealed class AwsContext
    {
        public AwsContext(IAwsCredentialSource credentials, string region, Uri endpoint, string credentialProvenance, string regionProvenance, string endpointProvenance)
        {
            Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            Region = region;
            Endpoint = endpoint;
            CredentialProvenance = credentialProvenance;
            RegionProvenance = regionProvenance;
            EndpointProvenance = endpointProvenance;
        }

        public IAwsCredentialSource Credentials { get; }

        public string Region { get; }

        public Uri Endpoint { get; }

        /// <summary>E.g. "credentials from profile 'prod'".</summary>
        public string CredentialProvenance { get; }

        /// <summary>E.g. "region eu-west-1 from $StoredAWSRegion".</summary>
        public string RegionProvenance { get; }

        public string EndpointProvenance { get; }

        public IReadOnlyList<string> Provenance => new[] { CredentialProvenance, RegionProvenance, EndpointProvenance };

        /// <summary>
        /// The EC2 endpoint (security group reads): -EndpointUrl when given, else one configured for EC2 (AWS_ENDPOINT_URL_EC2,
        /// AWS_ENDPOINT_URL, the profile's services section or endpoint_url); null for EC2's regional endpoint. An endpoint configured
        /// for RDS alone never serves EC2.
        /// </summary>
        public Uri? Ec2Endpoint { get; internal set; }

        /// <summary>
        /// The Secrets Manager endpoint (managed master secrets): -EndpointUrl when given, else one configured for Secrets Manager
        /// (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the profile's services section key secrets_manager or endpoint_url); null for the
        /// regional endpoint of each secret's region. An endpoint configured for RDS alone never serves Secrets Manager.
        /// </summary>
        public Uri? SecretsManagerEndpoint { get; internal set; }

        /// <summary>The account the credentials act in, when known without asking (an assumed role's account); null otherwise.</summary>
        public string? AccountId { get; private set; }

        /// <summary>The STS endpoint for a region, with where it came from (configured override or the regional endpoint).</summary>
        internal Func<string, (Uri Endpoint, string Origin)> StsEndpointFor { get; set; } = region => (ServiceEndpoints.RegionalSts(region), "regional default");

        /// <summary>The role's credentials (assumed with this context's credentials); the role source can be shared across regions.</summary>
        public AssumedRoleCredentialSource CreateRoleSource(AssumeRoleSettings settings)
        {
            var (endpoint, _) = StsEndpointFor(Region);
            return new AssumedRoleCredentialSource(Credentials, settings, endpoint, Region);
        }

        /// <summary>This context (region and endpoint) acting as an assumed role.</summary>
        public AwsContext WithRole(AssumedRoleCredentialSource role)
        {
            if (role == null) throw new ArgumentNullException(nameof(role));
            var (endpoint, origin) = StsEndpointFor(Region);
            return new AwsContext(role, Region, Endpoint,
                "credentials of role " + role.Settings.RoleArn + " (session " + role.Settings.RoleSessionName + ", STS " + endpoint.Host + " from " + origin + "), assumed with " + CredentialProvenance,
                RegionProvenance, EndpointProvenance)
            {
                AccountId = role.Settings.AccountId,
                StsEndpointFor = StsEndpointFor,
                Ec2Endpoint = Ec2Endpoint,
                SecretsManagerEndpoint = SecretsManagerEndpoint,
            };
        }

        /// <summary>
        /// Client options for this context; the explicit endpoint (if any) is kept, and the session's rate limiter for it is
        /// shared, unless AWS_RETRY_MODE asks for the SDKs' <c>standard</c> (or <c>legacy</c>) mode: then every request backs
        /// off on its own and nothing paces the run.
        /// </summary>
        public RdsClientOptions CreateClientOptions() => new RdsClientOptions(Region, Credentials)
        {
            EndpointUrl = Endpoint,
            RateLimiter = UsesAdaptiveRetryMode(Environment.GetEnvironmentVariable("AWS_RETRY_MODE")) ? RdsRateLimiter.ForEndpoint(Endpoint, Region) : null,
        };

        /// <summary>Whether an AWS_RETRY_MODE value leaves the shared adaptive rate on: unset or <c>adaptive</c>; <c>standard</c> and <c>legacy</c> turn it off.</summary>
        public static bool UsesAdaptiveRetryMode(string? retryMode)
        {
            var mode = retryMode?.Trim();
            return !(string.Equals(mode, "standard", StringComparison.OrdinalIgnoreCase) || string.Equals(mode, "legacy", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>True when the endpoint was given (-EndpointUrl) rather than derived from the region.</summary>
        public bool HasEndpointOverride => Endpoint != RdsEndpoint.ForRegion(Region);

        public override string ToString() => string.Join("; ", Provenance);
    }
}
