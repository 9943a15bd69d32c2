using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace RdsDouble;

/// <summary>An RDS Query API (2014-10-31) double listening on 127.0.0.1 only.</summary>
public sealed class RdsDoubleServer : IAsyncDisposable
{
    private const string ApiVersion = "2014-10-31";
    private static readonly JsonSerializerOptions LogJson = new() { WriteIndented = false };

    private readonly WebApplication _app;
    private readonly RdsDoubleOptions _options;
    private readonly SigV4Verifier _verifier;
    private readonly SigV4Verifier _ec2Verifier;
    private readonly Operations _operations;
    private readonly Ec2Operations _ec2Operations;
    private readonly List<RecordedRequest> _requests = new();
    private readonly object _requestsGate = new();

    private RdsDoubleServer(WebApplication app, RdsDoubleOptions options, RdsState state)
    {
        _app = app;
        _options = options;
        State = state;
        _verifier = new SigV4Verifier(options.AccessKey, options.SecretKey, options.Region, "rds", options.MaxClockSkew);
        _operations = new Operations(state, Answers);
        // The same server answers EC2's DescribeSecurityGroups (Version 2016-11-15), signed for service ec2.
        _ec2Verifier = new SigV4Verifier(options.AccessKey, options.SecretKey, options.Region, "ec2", options.MaxClockSkew);
        _ec2Operations = new Ec2Operations(state);
        Endpoint = new Uri("http://127.0.0.1:0/");
    }

    public Uri Endpoint { get; private set; }
    public RdsState State { get; }
    public FaultSettings Faults { get; } = new();

    /// <summary>How the double answers: full (default) or minimal (a terse RDS); see <see cref="AnswerSettings"/>.</summary>
    public AnswerSettings Answers { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requestsGate) return _requests.ToList(); }
    }

    public void ClearRequests()
    {
        lock (_requestsGate) _requests.Clear();
    }

    public static async Task<RdsDoubleServer> StartAsync(RdsDoubleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RdsState state = options.StateFile is null ? RdsState.LoadDefault() : RdsState.Load(options.StateFile);
        state.Region = options.Region;

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        var server = new RdsDoubleServer(app, options, state);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);

        string address = app.Services.GetService(typeof(IServer)) is IServer s
            ? s.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? throw new InvalidOperationException("No address bound.")
            : throw new InvalidOperationException("No server.");
        var bound = new Uri(address);
        server.Endpoint = new Uri($"http://127.0.0.1:{bound.Port}/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString);
        int q = rawTarget.IndexOf('?');
        string rawPath = q < 0 ? rawTarget : rawTarget[..q];
        string rawQuery = q < 0 ? "" : rawTarget[(q + 1)..];

        string normalizedPath = "/" + rawPath.TrimStart('/');
        if (normalizedPath.StartsWith("/_double/", StringComparison.Ordinal))
        {
            await HandleControlAsync(context, normalizedPath).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        byte[] body = buffer.ToArray();

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        QueryParams.ParseInto(rawQuery, values);
        if (HttpMethods.IsPost(request.Method) && body.Length > 0)
        {
            QueryParams.ParseInto(Encoding.UTF8.GetString(body), values);
        }
        var parameters = new QueryParams(values);
        string requestId = Guid.NewGuid().ToString();
        var record = new RecordedRequest
        {
            Time = DateTimeOffset.UtcNow,
            Method = request.Method,
            Path = rawPath,
            Action = parameters.Get("Action"),
            Parameters = new Dictionary<string, string>(values, StringComparer.Ordinal),
        };
        lock (_requestsGate) _requests.Add(record);

        TimeSpan latency = Faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                record.ErrorCode = "ConnectionDropped";
                return;
            }
        }

        if (Faults.Roll(Faults.DropConnectionRate))
        {
            record.ErrorCode = "ConnectionDropped";
            record.StatusCode = 0;
            context.Abort();
            return;
        }

        int status;
        string xml;
        bool ec2 = parameters.Get("Version") == Ec2Operations.ApiVersion;
        try
        {
            if (!Faults.TryTakeToken() || Faults.Roll(Faults.ThrottleFraction)) throw new RdsErrorException(400, "Throttling", "Rate exceeded");
            if (Faults.Roll(Faults.ServerErrorRate))
            {
                throw new RdsErrorException(500, "InternalFailure", "An internal error has occurred. Try again later.", senderFault: false);
            }
            if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsGet(request.Method))
            {
                throw new RdsErrorException(405, "InvalidAction", $"Method {request.Method} is not supported.");
            }

            (ec2 ? _ec2Verifier : _verifier).Verify(new SignedRequest
            {
                Method = request.Method,
                RawPath = rawPath,
                RawQuery = rawQuery,
                Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
                Body = body,
            }, DateTimeOffset.UtcNow);

            string? action = parameters.Get("Action");
            if (string.IsNullOrEmpty(action)) throw new RdsErrorException(400, "MissingAction", "Missing Action");
            string? version = parameters.Get("Version");
            if (string.IsNullOrEmpty(version)) throw RdsErrorException.MissingParameter("Version");
            if (ec2)
            {
                xml = _ec2Operations.Handle(action, parameters, requestId);
                status = 200;
            }
            else if (version != ApiVersion)
            {
                throw new RdsErrorException(400, "InvalidAction", $"Could not find operation {action} for version {version}");
            }
            else
            {
                if (!Operations.Known.Contains(action))
                {
                    throw new RdsErrorException(400, "InvalidAction", $"Could not find operation {action} for version {version}");
                }
                xml = _operations.Handle(action, parameters, requestId);
                status = 200;
            }
            if (Operations.Changing.Contains(action) && Answers.TakeDroppedAnswer())
            {
                // The change is made; the answer is lost on the way (the client sees a dropped connection).
                record.StatusCode = 0;
                record.ErrorCode = "AnswerDroppedAfterApplying";
                context.Abort();
                return;
            }
        }
        catch (RdsErrorException e) when (ec2)
        {
            (status, string code) = Ec2Operations.Translate(e);
            xml = Ec2Operations.Error(code, e.Message, requestId);
            record.ErrorCode = code;
        }
        catch (RdsErrorException e)
        {
            status = e.StatusCode;
            xml = XmlOut.Error(e.SenderFault, e.Code, e.Message, requestId);
            record.ErrorCode = e.Code;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect of the double itself: answer as RDS would, keep the details for whoever reads the log.
            status = 500;
            xml = XmlOut.Error(false, "InternalFailure", "Unexpected error in the RDS double: " + e, requestId);
            record.ErrorCode = "InternalFailure";
        }
        record.StatusCode = status;

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleControlAsync(HttpContext context, string path)
    {
        string method = context.Request.Method;
        if (path == "/_double/requests" && HttpMethods.IsGet(method))
        {
            List<RecordedRequest> snapshot;
            lock (_requestsGate) snapshot = _requests.ToList();
            var rows = snapshot.Select(r => new
            {
                time = r.Time,
                method = r.Method,
                path = r.Path,
                action = r.Action,
                statusCode = r.StatusCode,
                errorCode = r.ErrorCode,
                accepted = r.Accepted,
                parameters = r.Parameters,
            });
            await WriteJsonAsync(context, JsonSerializer.Serialize(rows, LogJson)).ConfigureAwait(false);
            return;
        }
        if (path == "/_double/requests/clear" && HttpMethods.IsPost(method))
        {
            ClearRequests();
            await WriteJsonAsync(context, "{\"cleared\":true}").ConfigureAwait(false);
            return;
        }
        if (path == "/_double/answers" && HttpMethods.IsPost(method))
        {
            // ?mode=full|minimal[&parameterDelayMs=N][&dropAnswers=N]
            IQueryCollection query = context.Request.Query;
            TimeSpan? delay = int.TryParse(query["parameterDelayMs"], out int ms) ? TimeSpan.FromMilliseconds(ms) : null;
            try
            {
                if (!string.IsNullOrEmpty(query["mode"])) Answers.Set(query["mode"]!, delay);
                else if (delay is TimeSpan d) Answers.ParameterChangeDelay = d;
            }
            catch (ArgumentException e)
            {
                context.Response.StatusCode = 400;
                await WriteJsonAsync(context, JsonSerializer.Serialize(new { error = e.Message })).ConfigureAwait(false);
                return;
            }
            if (int.TryParse(query["dropAnswers"], out int drop)) Answers.DropAnswersAfterApplying(drop);
            await WriteJsonAsync(context, JsonSerializer.Serialize(new { mode = Answers.Mode, parameterDelayMs = Answers.ParameterChangeDelay.TotalMilliseconds })).ConfigureAwait(false);
            return;
        }
        if (path == "/_double/state" && HttpMethods.IsGet(method))
        {
            await WriteJsonAsync(context, State.ToJson()).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = 404;
        await WriteJsonAsync(context, "{\"error\":\"unknown control endpoint\"}").ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }
}
