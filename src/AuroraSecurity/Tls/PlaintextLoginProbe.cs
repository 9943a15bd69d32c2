using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AuroraSecurity.Tls
{
    /// <summary>How a server answered an unencrypted login that carried no secret.</summary>
    public enum PlaintextLoginAnswer
    {
        /// <summary>No answer: the server could not be reached, or it closed or stalled the connection.</summary>
        Unknown,

        /// <summary>The server logged the user in over plaintext without any password.</summary>
        Accepted,

        /// <summary>The server answered with an error packet (its code and text are kept).</summary>
        Refused,

        /// <summary>The server asked to continue with another authentication plugin; the probe stopped there and sent nothing more.</summary>
        SwitchRequested,
    }

    /// <summary>What an unencrypted login without a secret found.</summary>
    public sealed class PlaintextLoginResult
    {
        /// <summary>The server greeted over plaintext.</summary>
        public bool Greeted { get; internal set; }

        /// <summary>Whether the greeting offered TLS.</summary>
        public bool? OffersTls { get; internal set; }

        /// <summary>How the login was answered.</summary>
        public PlaintextLoginAnswer Answer { get; internal set; }

        /// <summary>The error code when refused.</summary>
        public int? ErrorCode { get; internal set; }

        /// <summary>The server's error text when refused.</summary>
        public string? ErrorText { get; internal set; }

        /// <summary>The plugin the server asked to switch to, when it did.</summary>
        public string? SwitchPlugin { get; internal set; }

        /// <summary>Whether the plugin asked for sends the password as it is (mysql_clear_password and its kind).</summary>
        public bool SwitchIsClearText { get; internal set; }

        /// <summary>Why the probe got no answer.</summary>
        public string? Error { get; internal set; }
    }

    /// <summary>
    /// Logs in over an unencrypted connection with the user name and no secret: an empty answer for mysql_native_password.
    /// It never follows a switch to another plugin, so no password, scramble or token crosses the connection.
    /// </summary>
    public static class PlaintextLoginProbe
    {
        /// <summary>Runs the probe; failures are reported in the result, never thrown, except cancellation by the caller.</summary>
        public static async Task<PlaintextLoginResult> ProbeAsync(string host, int port, string user, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            var result = new PlaintextLoginResult();
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var client = new TcpClient())
            {
                limit.CancelAfter(timeout);
                using (limit.Token.Register(() => client.Dispose()))
                {
                    try
                    {
#if NET
                        await client.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
#else
                        await client.ConnectAsync(host, port).ConfigureAwait(false);
                        limit.Token.ThrowIfCancellationRequested();
#endif
                        var stream = client.GetStream();
                        var (greetingPayload, _) = await MySqlHandshake.ReadPacketAsync(stream, limit.Token).ConfigureAwait(false);
                        var greeting = MySqlHandshake.ParseGreeting(greetingPayload);
                        result.Greeted = true;
                        result.OffersTls = greeting.SupportsTls;
                        var login = MySqlHandshake.BuildLoginWithoutSecret(user, greeting.Capabilities);
                        await stream.WriteAsync(login, 0, login.Length, limit.Token).ConfigureAwait(false);
                        var (answer, _) = await MySqlHandshake.ReadPacketAsync(stream, limit.Token).ConfigureAwait(false);
                        Interpret(answer, result);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception error) when (error is IOException || error is SocketException || error is InvalidDataException
                        || error is ObjectDisposedException || error is OperationCanceledException)
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                        result.Answer = PlaintextLoginAnswer.Unknown;
                        result.Error = limit.IsCancellationRequested ? $"No answer within {timeout.TotalSeconds:0.#} s." : error.Message;
                    }
                }
            }

            return result;
        }

        /// <summary>Reads the server's first answer to the login.</summary>
        internal static void Interpret(byte[] answer, PlaintextLoginResult result)
        {
            if (answer.Length == 0)
            {
                result.Answer = PlaintextLoginAnswer.Unknown;
                result.Error = "The server answered the login with an empty packet.";
                return;
            }

            switch (answer[0])
            {
                case 0x00:
                    result.Answer = PlaintextLoginAnswer.Accepted;
                    return;
                case 0xFF:
                    result.Answer = PlaintextLoginAnswer.Refused;
                    result.ErrorCode = answer.Length >= 3 ? answer[1] | (answer[2] << 8) : (int?)null;
                    var textStart = answer.Length > 3 && answer[3] == (byte)'#' ? 9 : 3;
                    result.ErrorText = answer.Length > textStart ? Encoding.UTF8.GetString(answer, textStart, answer.Length - textStart) : string.Empty;
                    return;
                case 0xFE:
                    result.Answer = PlaintextLoginAnswer.SwitchRequested;
                    var end = Array.IndexOf(answer, (byte)0, 1);
                    result.SwitchPlugin = Encoding.ASCII.GetString(answer, 1, (end < 0 ? answer.Length : end) - 1);
                    result.SwitchIsClearText = IsClearText(result.SwitchPlugin);
                    return;
                default:
                    // 0x01: more data for the current plugin (caching_sha2_password and the like); the probe stops there.
                    result.Answer = PlaintextLoginAnswer.SwitchRequested;
                    result.SwitchPlugin = NativeOrCurrentPlugin;
                    return;
            }
        }

        private const string NativeOrCurrentPlugin = "(more authentication data for the current plugin)";

        private static bool IsClearText(string plugin) =>
            plugin.Equals("mysql_clear_password", StringComparison.OrdinalIgnoreCase)
            || plugin.Equals("dialog", StringComparison.OrdinalIgnoreCase)
            || plugin.Equals("authentication_ldap_simple", StringComparison.OrdinalIgnoreCase)
            || plugin.Equals("authentication_pam", StringComparison.OrdinalIgnoreCase);
    }
}
