using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tls
{
    /// <summary>What a MySQL server says in its initial handshake packet, as far as TLS probing needs it.</summary>
    public sealed class MySqlServerGreeting
    {
        /// <summary>The protocol version byte; 10 for every server since MySQL 3.21.</summary>
        public int ProtocolVersion { get; internal set; }

        /// <summary>The server version string ("8.0.32", "5.5.5-10.11.19-MariaDB…").</summary>
        public string ServerVersion { get; internal set; } = string.Empty;

        /// <summary>The connection (thread) id the server assigned.</summary>
        public uint ConnectionId { get; internal set; }

        /// <summary>The server's capability flags (lower and upper halves combined).</summary>
        public uint Capabilities { get; internal set; }

        /// <summary>Whether the server offers TLS (CLIENT_SSL).</summary>
        public bool SupportsTls => (Capabilities & MySqlHandshake.ClientSsl) != 0;
    }

    /// <summary>The few packets of the MySQL protocol that come before TLS: the server's greeting and the client's SSLRequest.</summary>
    public static class MySqlHandshake
    {
        /// <summary>CLIENT_LONG_PASSWORD.</summary>
        public const uint ClientLongPassword = 0x00000001;

        /// <summary>CLIENT_PROTOCOL_41.</summary>
        public const uint ClientProtocol41 = 0x00000200;

        /// <summary>CLIENT_SSL: the client asks to switch to TLS.</summary>
        public const uint ClientSsl = 0x00000800;

        /// <summary>CLIENT_SECURE_CONNECTION.</summary>
        public const uint ClientSecureConnection = 0x00008000;

        /// <summary>CLIENT_PLUGIN_AUTH: the login names its authentication plugin.</summary>
        public const uint ClientPluginAuth = 0x00080000;

        /// <summary>The plugin a login without a secret names: an empty answer to it is an empty password, nothing more.</summary>
        public const string NativePasswordPlugin = "mysql_native_password";

        /// <summary>The max packet size the SSLRequest announces (16 MiB, what the mysql client sends).</summary>
        public const int MaxPacketSize = 16 * 1024 * 1024;

        /// <summary>utf8mb4_general_ci.</summary>
        public const byte CharacterSet = 45;

        /// <summary>Parses the payload of the initial handshake packet (protocol 10); an error packet becomes an exception with the server's text.</summary>
        public static MySqlServerGreeting ParseGreeting(byte[] payload)
        {
            if (payload is null) throw new ArgumentNullException(nameof(payload));
            if (payload.Length > 0 && payload[0] == 0xFF)
            {
                var code = payload.Length >= 3 ? payload[1] | (payload[2] << 8) : 0;
                var textStart = payload.Length > 3 && payload[3] == (byte)'#' ? 9 : 3;
                var text = payload.Length > textStart ? Encoding.UTF8.GetString(payload, textStart, payload.Length - textStart) : string.Empty;
                throw new InvalidDataException($"The server refused the connection before TLS (error {code}): {text}");
            }

            if (payload.Length < 1 || payload[0] != 10)
            {
                throw new InvalidDataException($"Not a MySQL server: the first packet is not a protocol 10 handshake (first byte {(payload.Length > 0 ? payload[0] : -1)}).");
            }

            var end = Array.IndexOf(payload, (byte)0, 1);
            // Thread id (4), auth data part 1 (8), filler (1), capability flags lower half (2).
            if (end < 0 || payload.Length < end + 1 + 4 + 8 + 1 + 2)
            {
                throw new InvalidDataException("The server's handshake packet is truncated.");
            }

            var greeting = new MySqlServerGreeting
            {
                ProtocolVersion = payload[0],
                ServerVersion = Encoding.UTF8.GetString(payload, 1, end - 1),
            };
            var position = end + 1;
            greeting.ConnectionId = ReadUInt32(payload, position);
            position += 4 + 8 + 1;
            uint capabilities = (uint)(payload[position] | (payload[position + 1] << 8));
            position += 2;
            // Character set (1) and status flags (2) precede the upper half of the capability flags.
            if (payload.Length >= position + 1 + 2 + 2)
            {
                position += 3;
                capabilities |= (uint)(payload[position] | (payload[position + 1] << 8)) << 16;
            }

            greeting.Capabilities = capabilities;
            return greeting;
        }

        /// <summary>The 36-byte SSLRequest packet (4-byte header, sequence 1, 32-byte payload) that asks the server to start TLS.</summary>
        public static byte[] BuildSslRequest(uint serverCapabilities)
        {
            var flags = (ClientLongPassword | ClientProtocol41 | ClientSsl | ClientSecureConnection) & (serverCapabilities | ClientSsl | ClientProtocol41);
            var packet = new byte[36];
            packet[0] = 32;
            packet[1] = 0;
            packet[2] = 0;
            packet[3] = 1;
            WriteUInt32(packet, 4, flags);
            WriteUInt32(packet, 8, MaxPacketSize);
            packet[12] = CharacterSet;
            // Bytes 13..35 stay zero: the 23 reserved bytes.
            return packet;
        }

        /// <summary>
        /// A HandshakeResponse41 packet (sequence 1) without CLIENT_SSL that logs in as <paramref name="user"/> with an empty
        /// answer for mysql_native_password: it carries the user name and no secret of any kind.
        /// </summary>
        public static byte[] BuildLoginWithoutSecret(string user, uint serverCapabilities)
        {
            if (user is null) throw new ArgumentNullException(nameof(user));
            var flags = (ClientLongPassword | ClientProtocol41 | ClientSecureConnection | ClientPluginAuth) & (serverCapabilities | ClientProtocol41);
            var name = Encoding.UTF8.GetBytes(user);
            var plugin = Encoding.ASCII.GetBytes(NativePasswordPlugin);
            var usesPlugin = (flags & ClientPluginAuth) != 0;
            var length = 32 + name.Length + 1 + 1 + (usesPlugin ? plugin.Length + 1 : 0);
            var packet = new byte[4 + length];
            packet[0] = (byte)length;
            packet[1] = (byte)(length >> 8);
            packet[2] = (byte)(length >> 16);
            packet[3] = 1;
            WriteUInt32(packet, 4, flags);
            WriteUInt32(packet, 8, MaxPacketSize);
            packet[12] = CharacterSet;
            var position = 36;
            Array.Copy(name, 0, packet, position, name.Length);
            position += name.Length + 1;
            // The auth response: length 0, so no scramble of any password is sent.
            packet[position++] = 0;
            if (usesPlugin)
            {
                Array.Copy(plugin, 0, packet, position, plugin.Length);
            }

            return packet;
        }

        /// <summary>Reads one packet and returns its payload and sequence number.</summary>
        public static async Task<(byte[] Payload, int Sequence)> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
        {
            var header = await ReadExactlyAsync(stream, 4, cancellationToken).ConfigureAwait(false);
            var length = header[0] | (header[1] << 8) | (header[2] << 16);
            var payload = await ReadExactlyAsync(stream, length, cancellationToken).ConfigureAwait(false);
            return (payload, header[3]);
        }

        private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
        {
            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await stream.ReadAsync(buffer, read, count - read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException("The server closed the connection during the MySQL handshake.");
                }

                read += n;
            }

            return buffer;
        }

        private static uint ReadUInt32(byte[] data, int offset) =>
            (uint)(data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24));

        private static void WriteUInt32(byte[] data, int offset, uint value)
        {
            data[offset] = (byte)value;
            data[offset + 1] = (byte)(value >> 8);
            data[offset + 2] = (byte)(value >> 16);
            data[offset + 3] = (byte)(value >> 24);
        }
    }
}
