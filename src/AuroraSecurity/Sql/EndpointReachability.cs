using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Sql
{
    /// <summary>
    /// Why a connection could not be made at all, in the user's terms: a name that does not resolve, a port where nothing
    /// listens, or a port that does not answer (dropped by a security group or firewall). The driver reports all three as
    /// "unable to connect", so the endpoint is looked up and a plain TCP connection is tried once more to tell them apart.
    /// </summary>
    public static class EndpointReachability
    {
        /// <summary>How long the TCP attempt waits for an answer before calling the port filtered.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>One sentence on why <paramref name="endpoint"/>:<paramref name="port"/> cannot be reached, or null when a TCP connection succeeds.</summary>
        public static async Task<string?> DescribeAsync(string endpoint, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(endpoint, out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(endpoint).ConfigureAwait(false);
                }
                catch (SocketException error)
                {
                    return NotResolved(endpoint, error.Message);
                }

                if (addresses.Length == 0) return NotResolved(endpoint, "no addresses");
            }

            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
            var where = literal != null ? endpoint : $"{endpoint} ({address})";
            using (var client = new TcpClient(address.AddressFamily))
            {
                var connect = client.ConnectAsync(address, port);
                var finished = await Task.WhenAny(connect, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (finished != connect)
                {
                    _ = connect.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    return $"{where} does not answer on port {port} within {timeout.TotalSeconds:0} s: a security group, network ACL or firewall between here and the cluster most likely drops the packets. Allow this machine in on port {port}.";
                }

                try
                {
                    await connect.ConfigureAwait(false);
                    return null;
                }
                catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    return $"nothing accepts connections on port {port} at {where} (connection refused). Check the port: 3306 unless the cluster was created with another (Get-AuroraCluster shows it).";
                }
                catch (SocketException error)
                {
                    return $"{where} cannot be reached on port {port}: {error.Message}.";
                }
            }
        }

        private static string NotResolved(string endpoint, string detail) =>
            $"the name '{endpoint}' does not resolve (DNS: {detail}). Check the spelling (a cluster endpoint looks like <cluster>.cluster-<id>.<region>.rds.amazonaws.com) and that this machine's DNS can resolve it.";
    }
}
