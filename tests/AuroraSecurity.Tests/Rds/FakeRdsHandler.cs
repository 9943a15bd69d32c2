using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Rds;

namespace AuroraSecurity.Tests.Rds
{
    /// <summary>A recorded request as it reached the transport.</summary>
    internal sealed class CapturedRequest
    {
        public CapturedRequest(HttpRequestMessage message, string body)
        {
            Uri = message.RequestUri!;
            Method = message.Method.Method;
            Body = body;
            Headers = message.Headers.Concat(message.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        }

        public Uri Uri { get; }
        public string Method { get; }
        public string Body { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }

        public Dictionary<string, string> Form => Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);
    }

    /// <summary>Answers RDS calls from a script, recording what was sent.</summary>
    internal sealed class FakeRdsHandler : HttpMessageHandler
    {
        private readonly Func<CapturedRequest, int, CancellationToken, Task<HttpResponseMessage>> _respond;
        private int _calls;

        public FakeRdsHandler(Func<CapturedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

        public FakeRdsHandler(Func<CapturedRequest, int, HttpResponseMessage> respond)
            : this((r, n, _) => Task.FromResult(respond(r, n)))
        {
        }

        public List<CapturedRequest> Requests { get; } = new List<CapturedRequest>();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            var captured = new CapturedRequest(request, body);
            int n;
            lock (Requests)
            {
                Requests.Add(captured);
                n = _calls++;
            }

            return await _respond(captured, n, cancellationToken);
        }

        public static HttpResponseMessage Xml(HttpStatusCode status, string xml) =>
            new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };

        public static HttpResponseMessage Ok(string action, string resultInnerXml) => Xml(HttpStatusCode.OK,
            "<" + action + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><" + action + "Result>" + resultInnerXml + "</" + action + "Result>" +
            "<ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata></" + action + "Response>");

        public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string type = "Sender") => Xml(status,
            "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message +
            "</Message></Error><RequestId>req-" + code + "</RequestId></ErrorResponse>");

        public static AwsCredentialSet Keys(string? token = null) => new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);

        public static RdsQueryClient Client(FakeRdsHandler handler, AwsCredentialSet? keys = null, RdsRetryPolicy? retry = null, Action<RdsClientOptions>? configure = null)
        {
            var options = new RdsClientOptions("eu-west-1", new StaticCredentialSource(keys ?? Keys()))
            {
                Retry = retry ?? new RdsRetryPolicy(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)),
                UtcNow = () => new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc),
            };
            configure?.Invoke(options);
            return new RdsQueryClient(options, handler);
        }
    }
}
