using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tests.Infrastructure
{
    /// <summary>How the fake server treats a connection.</summary>
    public enum FakeMySqlBehaviour
    {
        /// <summary>Accepts the TCP connection and never says a word.</summary>
        Silent,

        /// <summary>Greets without TLS, asks every login to switch to mysql_clear_password, records the answer, then refuses with 1045.</summary>
        PlaintextOnly,

        /// <summary>
        /// A man in the middle in front of a real server: a client that asks for TLS is relayed to the real server untouched
        /// (so verification holds end to end); a client that logs in without TLS is asked to switch to mysql_clear_password.
        /// </summary>
        RelayTlsAnswerPlaintext,
    }

    /// <summary>
    /// A hostile MySQL peer on 127.0.0.1 for tests: it records every byte a client sends outside TLS. Its packet code is
    /// written from the protocol description and shares nothing with the module's own handshake code.
    /// </summary>
    public sealed class FakeMySqlServer : IDisposable
    {
        private const uint LongPassword = 0x1, Protocol41 = 0x200, Ssl = 0x800, Transactions = 0x2000, SecureConnection = 0x8000;
        private const uint MultiStatements = 0x10000, MultiResults = 0x20000, PluginAuth = 0x80000, PluginAuthLenencData = 0x200000;

        private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly ConcurrentQueue<byte[]> plaintextPackets = new ConcurrentQueue<byte[]>();
        private readonly List<TcpClient> clients = new List<TcpClient>();
        private readonly FakeMySqlBehaviour behaviour;
        private readonly string? upstreamHost;
        private readonly int upstreamPort;
        private readonly Task acceptLoop;
        private int connections;
        private int clearTextSwitchesAnswered;

        public FakeMySqlServer(FakeMySqlBehaviour behaviour, string? upstreamHost = null, int upstreamPort = 0)
        {
            if (behaviour == FakeMySqlBehaviour.RelayTlsAnswerPlaintext && upstreamHost == null)
            {
                throw new ArgumentException("A relay needs the real server's host and port.", nameof(upstreamHost));
            }

            this.behaviour = behaviour;
            this.upstreamHost = upstreamHost;
            this.upstreamPort = upstreamPort;
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            acceptLoop = Task.Run(AcceptLoopAsync);
        }

        /// <summary>The port it listens on.</summary>
        public int Port { get; }

        /// <summary>How many TCP connections were accepted.</summary>
        public int Connections => Volatile.Read(ref connections);

        /// <summary>How many times a client answered the request to switch to mysql_clear_password.</summary>
        public int ClearTextSwitchesAnswered => Volatile.Read(ref clearTextSwitchesAnswered);

        /// <summary>Every packet payload clients sent without TLS, in order.</summary>
        public IReadOnlyList<byte[]> PlaintextPackets => plaintextPackets.ToArray();

        /// <summary>Whether any plaintext packet carries the text (UTF-8), anywhere in it.</summary>
        public bool ReceivedInPlaintext(string text)
        {
            var needle = Encoding.UTF8.GetBytes(text);
            return plaintextPackets.Any(packet => IndexOf(packet, needle) >= 0);
        }

        public void Dispose()
        {
            stopping.Cancel();
            listener.Stop();
            lock (clients)
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }

            try
            {
                acceptLoop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (!stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stopping.Token);
                }
                catch (Exception error) when (error is OperationCanceledException || error is SocketException || error is ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref connections);
                lock (clients)
                {
                    clients.Add(client);
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            try
            {
                var stream = client.GetStream();
                switch (behaviour)
                {
                    case FakeMySqlBehaviour.Silent:
                        await Task.Delay(Timeout.Infinite, stopping.Token);
                        break;
                    case FakeMySqlBehaviour.PlaintextOnly:
                        await WritePacketAsync(stream, 0, Greeting(withTls: false));
                        await AnswerPlaintextLoginAsync(stream, await ReadPacketAsync(stream));
                        break;
                    default:
                        await RelayOrAnswerAsync(client, stream);
                        break;
                }
            }
            catch (Exception error) when (error is IOException || error is SocketException || error is ObjectDisposedException || error is OperationCanceledException || error is EndOfStreamException)
            {
                // The client went away; what it sent is recorded.
            }
            finally
            {
                client.Dispose();
            }
        }

        private async Task RelayOrAnswerAsync(TcpClient client, NetworkStream stream)
        {
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(upstreamHost!, upstreamPort, stopping.Token);
            var upstreamStream = upstream.GetStream();
            var greeting = await ReadPacketAsync(upstreamStream);
            await WritePacketAsync(stream, greeting.Sequence, greeting.Payload);
            var first = await ReadPacketAsync(stream);
            var flags = first.Payload.Length >= 4 ? BitConverter.ToUInt32(first.Payload, 0) : 0;
            if (first.Payload.Length == 32 && (flags & Ssl) != 0)
            {
                // TLS from here on: pass the bytes through, unread.
                await WritePacketAsync(upstreamStream, first.Sequence, first.Payload);
                var up = stream.CopyToAsync(upstreamStream, stopping.Token);
                var down = upstreamStream.CopyToAsync(stream, stopping.Token);
                await Task.WhenAny(up, down);
                return;
            }

            await AnswerPlaintextLoginAsync(stream, first);
        }

        private async Task AnswerPlaintextLoginAsync(NetworkStream stream, (byte[] Payload, int Sequence) login)
        {
            plaintextPackets.Enqueue(login.Payload);
            var sequence = login.Sequence + 1;
            var switchRequest = new List<byte> { 0xFE };
            switchRequest.AddRange(Encoding.ASCII.GetBytes("mysql_clear_password"));
            switchRequest.Add(0);
            await WritePacketAsync(stream, sequence, switchRequest.ToArray());

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            wait.CancelAfter(TimeSpan.FromSeconds(5));
            (byte[] Payload, int Sequence) answer;
            try
            {
                answer = await ReadPacketAsync(stream, wait.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return;
            }

            plaintextPackets.Enqueue(answer.Payload);
            Interlocked.Increment(ref clearTextSwitchesAnswered);
            var error = new List<byte> { 0xFF, 0x15, 0x04 };
            error.AddRange(Encoding.ASCII.GetBytes("#28000Access denied for user (using password: YES)"));
            await WritePacketAsync(stream, answer.Sequence + 1, error.ToArray());
        }

        private static byte[] Greeting(bool withTls)
        {
            var capabilities = LongPassword | Protocol41 | Transactions | SecureConnection | MultiStatements | MultiResults | PluginAuth | PluginAuthLenencData;
            if (withTls)
            {
                capabilities |= Ssl;
            }

            var payload = new List<byte> { 10 };
            payload.AddRange(Encoding.ASCII.GetBytes("8.0.32-fake"));
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes(7u));
            payload.AddRange(Encoding.ASCII.GetBytes("abcdefgh"));
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes((ushort)(capabilities & 0xFFFF)));
            payload.Add(45);
            payload.AddRange(new byte[] { 2, 0 });
            payload.AddRange(BitConverter.GetBytes((ushort)(capabilities >> 16)));
            payload.Add(21);
            payload.AddRange(new byte[10]);
            payload.AddRange(Encoding.ASCII.GetBytes("ijklmnopqrst"));
            payload.Add(0);
            payload.AddRange(Encoding.ASCII.GetBytes("mysql_native_password"));
            payload.Add(0);
            return payload.ToArray();
        }

        private Task<(byte[] Payload, int Sequence)> ReadPacketAsync(Stream stream) => ReadPacketAsync(stream, stopping.Token);

        private static async Task<(byte[] Payload, int Sequence)> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
        {
            var header = await ReadExactlyAsync(stream, 4, cancellationToken);
            var length = header[0] | (header[1] << 8) | (header[2] << 16);
            return (await ReadExactlyAsync(stream, length, cancellationToken), header[3]);
        }

        private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
        {
            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, count - read), cancellationToken);
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }

                read += n;
            }

            return buffer;
        }

        private async Task WritePacketAsync(Stream stream, int sequence, byte[] payload)
        {
            var packet = new byte[payload.Length + 4];
            packet[0] = (byte)payload.Length;
            packet[1] = (byte)(payload.Length >> 8);
            packet[2] = (byte)(payload.Length >> 16);
            packet[3] = (byte)sequence;
            payload.CopyTo(packet, 4);
            await stream.WriteAsync(packet, stopping.Token);
            await stream.FlushAsync(stopping.Token);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
