using System;
using System.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>The RDS API endpoint for a region, or an explicit endpoint URL.</summary>
    public static class RdsEndpoint
    {
        public static Uri ForRegion(string region)
        {
            ValidateRegion(region);
            return new Uri("https://rds." + region + "." + DnsSuffix(region) + "/");
        }

        /// <summary>An explicit endpoint wins over the regional one; it must be an absolute http(s) URL.</summary>
        public static Uri Resolve(string region, string? endpointUrl)
        {
            if (endpointUrl == null) return ForRegion(region);
            if (string.IsNullOrWhiteSpace(endpointUrl))
            {
                throw new ArgumentException("EndpointUrl is empty. Leave -EndpointUrl out to use the regional RDS endpoint, or give a URL such as https://rds.eu-west-1.amazonaws.com.", nameof(endpointUrl));
            }

            var text = endpointUrl.Trim();
            // AWS.Tools accepts a bare host name for -EndpointUrl.
            if (text.IndexOf("://", StringComparison.Ordinal) < 0) text = "https://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException("EndpointUrl '" + EchoedInput.Shorten(endpointUrl) + "' is not an http(s) URL.", nameof(endpointUrl));
            }

            return uri;
        }

        public static void ValidateRegion(string region)
        {
            if (string.IsNullOrWhiteSpace(region)
                || region.Any(c => !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                || region.IndexOf('-') < 0)
            {
                throw new ArgumentException("'" + EchoedInput.Shorten(region, 60) + "' is not an AWS region name (expected something like eu-west-1).", nameof(region));
            }
        }

        /// <summary>The DNS suffix of a region's partition (amazonaws.com, amazonaws.com.cn, …).</summary>
        internal static string DnsSuffix(string region)
        {
            if (region.StartsWith("cn-", StringComparison.Ordinal)) return "amazonaws.com.cn";
            if (region.StartsWith("us-isob-", StringComparison.Ordinal)) return "sc2s.sgov.gov";
            if (region.StartsWith("us-isof-", StringComparison.Ordinal)) return "csp.hci.ic.gov";
            if (region.StartsWith("us-iso-", StringComparison.Ordinal)) return "c2s.ic.gov";
            if (region.StartsWith("eu-isoe-", StringComparison.Ordinal)) return "cloud.adc-e.uk";
            return "amazonaws.com";
        }
    }
}
