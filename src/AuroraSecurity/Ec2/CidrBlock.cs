using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSecurity.Ec2
{
    /// <summary>An IPv4 or IPv6 network in CIDR notation ("10.0.0.0/16", "2001:db8::/32"), as security group rules and baselines give them.</summary>
    public sealed class CidrBlock
    {
        private readonly byte[] _network;

        private CidrBlock(byte[] network, int prefixLength, AddressFamily family, string text)
        {
            _network = network;
            PrefixLength = prefixLength;
            Family = family;
            Text = text;
        }

        public int PrefixLength { get; }

        public AddressFamily Family { get; }

        /// <summary>The block as given, trimmed.</summary>
        public string Text { get; }

        /// <summary>Reads "address/prefix"; false (with the reason) for anything else, including host bits set beyond the prefix.</summary>
        public static bool TryParse(string? text, out CidrBlock? block, out string? problem)
        {
            block = null;
            problem = null;
            var trimmed = (text ?? string.Empty).Trim();
            var slash = trimmed.IndexOf('/');
            if (slash <= 0 || slash == trimmed.Length - 1)
            {
                problem = "a CIDR block is an address, a slash and a prefix length (10.0.0.0/16, 2001:db8::/32)";
                return false;
            }

            if (!IPAddress.TryParse(trimmed.Substring(0, slash), out var address) ||
                (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
            {
                problem = $"'{trimmed.Substring(0, slash)}' is not an IPv4 or IPv6 address";
                return false;
            }

            var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (!int.TryParse(trimmed.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
            {
                problem = $"the prefix length must be a whole number from 0 to {bits}";
                return false;
            }

            var bytes = address.GetAddressBytes();
            for (var bit = prefix; bit < bits; bit++)
            {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    problem = $"'{trimmed}' has address bits set beyond its /{prefix} prefix; the network is written with them cleared";
                    return false;
                }
            }

            block = new CidrBlock(bytes, prefix, address.AddressFamily, trimmed);
            return true;
        }

        /// <summary>Whether every address of <paramref name="other"/> lies in this block (same family, prefix at least as long, same network bits).</summary>
        public bool Contains(CidrBlock other)
        {
            if (other == null) throw new ArgumentNullException(nameof(other));
            if (other.Family != Family || other.PrefixLength < PrefixLength) return false;
            for (var bit = 0; bit < PrefixLength; bit++)
            {
                var mask = 0x80 >> (bit % 8);
                if ((_network[bit / 8] & mask) != (other._network[bit / 8] & mask)) return false;
            }

            return true;
        }

        public override string ToString() => Text;
    }
}
