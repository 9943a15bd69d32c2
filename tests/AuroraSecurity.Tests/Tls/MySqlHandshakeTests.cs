using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using AuroraSecurity.Tls;
using Xunit;

namespace AuroraSecurity.Tests.Tls
{
    [Trait(Needs.Key, Needs.Nothing)]
    public class MySqlHandshakeTests
    {
        private static byte[] Greeting(string version, uint capabilities, uint threadId = 42)
        {
            var payload = new System.Collections.Generic.List<byte> { 10 };
            payload.AddRange(Encoding.ASCII.GetBytes(version));
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes(threadId));
            payload.AddRange(Enumerable.Repeat((byte)'s', 8));
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes((ushort)(capabilities & 0xFFFF)));
            payload.Add(45);
            payload.AddRange(new byte[] { 2, 0 });
            payload.AddRange(BitConverter.GetBytes((ushort)(capabilities >> 16)));
            payload.Add(21);
            payload.AddRange(new byte[10]);
            payload.AddRange(Enumerable.Repeat((byte)'t', 12));
            payload.Add(0);
            payload.AddRange(Encoding.ASCII.GetBytes("mysql_native_password"));
            payload.Add(0);
            return payload.ToArray();
        }

        [Fact]
        public void TheGreetingGivesVersionThreadIdAndBothCapabilityHalves()
        {
            var greeting = MySqlHandshake.ParseGreeting(Greeting("8.0.32", 0x800FFFFF, 77));

            Assert.Equal(10, greeting.ProtocolVersion);
            Assert.Equal("8.0.32", greeting.ServerVersion);
            Assert.Equal(77u, greeting.ConnectionId);
            Assert.Equal(0x800FFFFFu, greeting.Capabilities);
            Assert.True(greeting.SupportsTls);
        }

        [Fact]
        public void AServerWithoutClientSslSaysSo()
        {
            Assert.False(MySqlHandshake.ParseGreeting(Greeting("5.7.12", 0x0000F7FF & ~MySqlHandshake.ClientSsl)).SupportsTls);
        }

        [Fact]
        public void AnErrorPacketBecomesTheServersMessage()
        {
            var payload = new byte[] { 0xFF, 0x69, 0x04 }.Concat(Encoding.ASCII.GetBytes("Host is blocked")).ToArray();

            var error = Assert.Throws<InvalidDataException>(() => MySqlHandshake.ParseGreeting(payload));

            Assert.Contains("1129", error.Message);
            Assert.Contains("Host is blocked", error.Message);
        }

        [Fact]
        public void ANonMySqlServerIsRejected()
        {
            Assert.Throws<InvalidDataException>(() => MySqlHandshake.ParseGreeting(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH")));
            Assert.Throws<InvalidDataException>(() => MySqlHandshake.ParseGreeting(new byte[] { 10, (byte)'8', 0, 1 }));
        }

        [Fact]
        public void TheSslRequestIs32BytesWithSequenceOneAndTheTlsFlags()
        {
            var packet = MySqlHandshake.BuildSslRequest(0xFFFFFFFF);

            Assert.Equal(36, packet.Length);
            Assert.Equal(new byte[] { 32, 0, 0, 1 }, packet.Take(4).ToArray());
            var flags = BitConverter.ToUInt32(packet, 4);
            Assert.NotEqual(0u, flags & MySqlHandshake.ClientSsl);
            Assert.NotEqual(0u, flags & MySqlHandshake.ClientProtocol41);
            Assert.NotEqual(0u, flags & MySqlHandshake.ClientSecureConnection);
            Assert.Equal(16 * 1024 * 1024, BitConverter.ToInt32(packet, 8));
            Assert.Equal(MySqlHandshake.CharacterSet, packet[12]);
            Assert.All(packet.Skip(13), b => Assert.Equal(0, b));
        }

        [Fact]
        public async Task PacketsAreReadWithTheirSequenceNumber()
        {
            var payload = Greeting("10.11.19-MariaDB", 0xFFFF);
            var framed = new byte[] { (byte)payload.Length, (byte)(payload.Length >> 8), 0, 0 }.Concat(payload).ToArray();

            var (read, sequence) = await MySqlHandshake.ReadPacketAsync(new MemoryStream(framed), default);

            Assert.Equal(0, sequence);
            Assert.Equal(payload, read);
            await Assert.ThrowsAsync<EndOfStreamException>(() => MySqlHandshake.ReadPacketAsync(new MemoryStream(framed.Take(10).ToArray()), default));
        }
    }
}
