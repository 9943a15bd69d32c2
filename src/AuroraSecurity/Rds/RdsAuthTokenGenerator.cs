using System;
using System.Collections.Generic;
using System.Globalization;

namespace AuroraSecurity.Rds
{
    /// <summary>Creates IAM database authentication tokens (SigV4 presigned "connect" URLs for service rds-db).</summary>
    public static class RdsAuthTokenGenerator
    {
        public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(900);

        /// <summary>Returns "host:port/?Action=connect&amp;DBUser=…&amp;X-Amz-…", the password for an IAM-enabled database user.</summary>
        public static string Generate(AwsCredentialSet credentials, string region, string host, int port, string user, DateTime utcNow)
        {
            if (credentials == null) throw new ArgumentNullException(nameof(credentials));
            if (string.IsNullOrWhiteSpace(region)) throw new ArgumentException("A region is required to sign an IAM authentication token.", nameof(region));
            if (string.IsNullOrWhiteSpace(host)) throw new ArgumentException("The database host name is required.", nameof(host));
            if (port <= 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be between 1 and 65535.");
            if (string.IsNullOrEmpty(user)) throw new ArgumentException("The database user name is required.", nameof(user));

            var hostPort = host.Trim() + ":" + port.ToString(CultureInfo.InvariantCulture);
            var uri = new UriBuilder("https", host.Trim(), port, "/").Uri;
            var query = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("Action", "connect"),
                new KeyValuePair<string, string>("DBUser", user),
            };
            var signed = SigV4Signer.PresignQuery(uri, query, credentials, region.Trim(), "rds-db", utcNow, TokenLifetime);
            return hostPort + "/?" + signed;
        }
    }
}
