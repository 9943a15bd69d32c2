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
    private readonly Operations _operations;
    private readonly StsOperations _sts;
    // Each account and region has its own state, answered by the RDS operations and (DescribeSecurityGroups) the EC2 ones.
    private readonly Dictionary<(string Account, string Region), (Operations Rds, Ec2Operations Ec2)> _tenants = new();
    private readonly object _tenantsGate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly object _requestsGate = new();

    private RdsDoubleServer(WebApplication app, RdsDoubleOptions options, RdsState state)
    {
        _app = app;
        _options = options;
        State = state;
        Keys.Add(new DoubleKey
        {
            AccessKeyId = options.AccessKey, SecretKey = options.SecretKey, AccountId = state.AccountId,
            PrincipalArn = $"arn:{state.Partition}:iam::{state.AccountId}:user/double-user",
        });
        _verifier = new SigV4Verifier(Keys, ServesRegion, options.MaxClockSkew);
        _operations = new Operations(state, Answers);
        // The same server answers EC2's DescribeSecurityGroups (Version 2016-11-15), signed for service ec2.
        _tenants[(state.AccountId, options.Region)] = (_operations, new Ec2Operations(state));
        _sts = new StsOperations(Keys, Sts);
        Endpoint = new Uri("http://127.0.0.1:0/");
    }

    public Uri Endpoint { get; private set; }
    public RdsState State { get; }
    public FaultSettings Faults { get; } = new();
    /// <summary>Every access key accepted: the static one from the options and those issued by STS, SSO and the metadata endpoints.</summary>
    public KeyRing Keys { get; } = new();
    public StsSettings Sts { get; } = new();

    /// <summary>The state of one account in one region (made from the seed on first use).</summary>
    public RdsState StateOf(string accountId, string region) => TenantFor(accountId, region).Rds.State;

    private bool ServesRegion(string region) => region == _options.Region || _options.ExtraRegions.Contains(region);

    private (Operations Rds, Ec2Operations Ec2) TenantFor(string accountId, string region)
    {
        lock (_tenantsGate)
        {
            if (_tenants.TryGetValue((accountId, region), out var known)) return known;
            RdsState state = _options.StateFile is null ? RdsState.LoadDefault() : RdsState.Load(_options.StateFile);
            state.AccountId = accountId;
            state.Region = region;
            _options.TenantSetup?.Invoke(state);
            var tenant = (new Operations(state, Answers), new Ec2Operations(state));
            _tenants[(accountId, region)] = tenant;
            return tenant;
        }
    }

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

        if (normalizedPath == "/container-credentials" || normalizedPath.StartsWith("/latest/", StringComparison.Ordinal))
        {
            await AnswerMetadataAsync(context, normalizedPath).ConfigureAwait(false);
            return;
        }

        if (normalizedPath.StartsWith("/federation/", StringComparison.Ordinal))
        {
            await AnswerSsoAsync(context, rawQuery).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        byte[] body = buffer.ToArray();

        string target = request.Headers["X-Amz-Target"].ToString();
        if (target.StartsWith(SecretsManagerOperations.TargetPrefix, StringComparison.Ordinal))
        {
            await AnswerSecretsManagerAsync(context, target[SecretsManagerOperations.TargetPrefix.Length..], rawPath, rawQuery, body).ConfigureAwait(false);
            return;
        }

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
        record.InFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerAsync(context, request, rawPath, rawQuery, body, parameters, requestId, record).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // Requests being answered now (latency included): each recorded request says how many were in flight when it arrived.
    private int _inFlight;

    private async Task AnswerAsync(HttpContext context, HttpRequest request, string rawPath, string rawQuery, byte[] body, QueryParams parameters, string requestId, RecordedRequest record)
    {
        TimeSpan latency = Faults.LatencyFor(request.Headers.Authorization.ToString());
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
        if (ec2) record.Service = "ec2";
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

            var signed = new SignedRequest
            {
                Method = request.Method,
                RawPath = rawPath,
                RawQuery = rawQuery,
                Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
                Body = body,
            };
            string? action = parameters.Get("Action");
            if (action is not null && StsOperations.Known.Contains(action))
            {
                record.Service = "sts";
                await AnswerStsAsync(context, action, parameters, signed, record, requestId).ConfigureAwait(false);
                return;
            }

            var (key, region) = _verifier.Verify(signed, DateTimeOffset.UtcNow, ec2 ? "ec2" : "rds");
            record.AccessKeyId = key.AccessKeyId;
            record.SigningRegion = region;
            record.AccountId = key.AccountId;

            if (string.IsNullOrEmpty(action)) throw new RdsErrorException(400, "MissingAction", "Missing Action");
            string? version = parameters.Get("Version");
            if (string.IsNullOrEmpty(version)) throw RdsErrorException.MissingParameter("Version");
            if (ec2)
            {
                xml = TenantFor(key.AccountId, region).Ec2.Handle(action, parameters, requestId);
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
                xml = TenantFor(key.AccountId, region).Rds.Handle(action, parameters, requestId);
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

    // Secrets Manager (AWS JSON 1.1): the same faults as the Query APIs, a signature for service secretsmanager, answers from the signer's account and region.
    private async Task AnswerSecretsManagerAsync(HttpContext context, string operation, string rawPath, string rawQuery, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var record = new RecordedRequest
        {
            Time = DateTimeOffset.UtcNow, Method = context.Request.Method, Path = rawPath, Action = operation, Parameters = parameters, Service = "secretsmanager",
        };
        lock (_requestsGate) _requests.Add(record);
        string requestId = Guid.NewGuid().ToString();
        TimeSpan latency = Faults.LatencyFor(context.Request.Headers.Authorization.ToString());
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
            context.Abort();
            return;
        }

        int status = 200;
        string json;
        try
        {
            if (!Faults.TryTakeToken() || Faults.Roll(Faults.ThrottleFraction)) throw new JsonErrorException(400, "ThrottlingException", "Rate exceeded", capitalMessage: false);
            if (Faults.Roll(Faults.ServerErrorRate)) throw new JsonErrorException(500, "InternalServiceError", "An error occurred on the server side.");
            if (!HttpMethods.IsPost(context.Request.Method)) throw new JsonErrorException(405, "UnknownOperationException", $"Method {context.Request.Method} is not supported.", capitalMessage: false);
            string contentType = context.Request.ContentType ?? "";
            if (!contentType.StartsWith(SecretsManagerOperations.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw new JsonErrorException(400, "SerializationException", $"Content-Type '{contentType}' is not {SecretsManagerOperations.ContentType}.", capitalMessage: false);
            }
            var signed = new SignedRequest
            {
                Method = context.Request.Method,
                RawPath = rawPath,
                RawQuery = rawQuery,
                Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
                Body = body,
            };
            DoubleKey key;
            string region;
            try
            {
                (key, region) = _verifier.Verify(signed, DateTimeOffset.UtcNow, "secretsmanager");
            }
            catch (RdsErrorException e)
            {
                throw SecretsManagerOperations.FromSignature(e);
            }
            record.AccessKeyId = key.AccessKeyId;
            record.SigningRegion = region;
            record.AccountId = key.AccountId;
            json = SecretsManagerOperations.Handle(operation, body, TenantFor(key.AccountId, region).Rds.State, parameters);
        }
        catch (JsonErrorException e)
        {
            status = e.StatusCode;
            json = SecretsManagerOperations.Error(e);
            record.ErrorCode = e.Type;
        }
        record.StatusCode = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = SecretsManagerOperations.ContentType;
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task AnswerStsAsync(HttpContext context, string action, QueryParams parameters, SignedRequest signed, RecordedRequest record, string requestId)
    {
        int status = 200;
        string xml;
        try
        {
            DoubleKey? caller = null;
            if (!StsOperations.IsUnsigned(action))
            {
                var (key, region) = _verifier.Verify(signed, DateTimeOffset.UtcNow, "sts");
                caller = key;
                record.AccessKeyId = key.AccessKeyId;
                record.SigningRegion = region;
                record.AccountId = key.AccountId;
            }
            if (parameters.Get("Version") != StsOperations.Version)
            {
                throw new RdsErrorException(400, "InvalidAction", $"Could not find operation {action} for version {parameters.Get("Version")}");
            }
            xml = _sts.Handle(action, parameters, caller, requestId);
        }
        catch (RdsErrorException e)
        {
            status = e.StatusCode;
            xml = StsOperations.Error(e.Code, e.Message, requestId);
            record.ErrorCode = e.Code;
        }
        record.StatusCode = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    // The IAM Identity Center portal's GetRoleCredentials: GET /federation/credentials?account_id=&role_name= with the bearer token.
    private async Task AnswerSsoAsync(HttpContext context, string rawQuery)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        QueryParams.ParseInto(rawQuery, values);
        var record = new RecordedRequest
        {
            Time = DateTimeOffset.UtcNow, Method = context.Request.Method, Path = context.Request.Path, Action = "GetRoleCredentials",
            Parameters = new Dictionary<string, string>(values, StringComparer.Ordinal), Service = "sso",
        };
        lock (_requestsGate) _requests.Add(record);
        string token = context.Request.Headers["x-amz-sso_bearer_token"].ToString();
        values.TryGetValue("account_id", out string? account);
        values.TryGetValue("role_name", out string? role);
        string json;
        if (token != Sts.SsoAccessToken)
        {
            record.StatusCode = 401;
            record.ErrorCode = "UnauthorizedException";
            context.Response.StatusCode = 401;
            context.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
            json = "{\"message\":\"Session token not found or invalid\"}";
        }
        else if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(role))
        {
            record.StatusCode = 400;
            record.ErrorCode = "InvalidRequestException";
            context.Response.StatusCode = 400;
            context.Response.Headers["x-amzn-ErrorType"] = "InvalidRequestException";
            json = "{\"message\":\"account_id and role_name are required\"}";
        }
        else
        {
            DoubleKey key = Keys.Issue(account, $"arn:aws:sts::{account}:assumed-role/AWSReservedSSO_{role}/double-sso-user", Sts.LifetimeOverride ?? TimeSpan.FromHours(1), "GetRoleCredentials");
            record.StatusCode = 200;
            record.AccountId = account;
            json = JsonSerializer.Serialize(new
            {
                roleCredentials = new
                {
                    accessKeyId = key.AccessKeyId,
                    secretAccessKey = key.SecretKey,
                    sessionToken = key.SessionToken,
                    expiration = key.Expires!.Value.ToUnixTimeMilliseconds(),
                },
            });
        }
        await WriteJsonAsync(context, json).ConfigureAwait(false);
    }

    /// <summary>The account whose role the container and instance metadata endpoints hand out.</summary>
    public const string MetadataAccountId = "888888888888";
    private const string MetadataRole = "double-instance-role";
    private const string MetadataToken = "double-imds-token";

    // Container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI) and instance metadata (IMDSv2: a PUT for a token first).
    private async Task AnswerMetadataAsync(HttpContext context, string path)
    {
        var record = new RecordedRequest { Time = DateTimeOffset.UtcNow, Method = context.Request.Method, Path = path, Action = path, Service = "metadata" };
        lock (_requestsGate) _requests.Add(record);
        object Credentials(string issuedBy)
        {
            DoubleKey key = Keys.Issue(MetadataAccountId, $"arn:aws:sts::{MetadataAccountId}:assumed-role/{MetadataRole}/double", Sts.LifetimeOverride ?? TimeSpan.FromHours(6), issuedBy);
            record.AccountId = MetadataAccountId;
            return new
            {
                Code = "Success", Type = "AWS-HMAC", LastUpdated = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                AccessKeyId = key.AccessKeyId, SecretAccessKey = key.SecretKey, Token = key.SessionToken,
                Expiration = key.Expires!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), RoleArn = $"arn:aws:iam::{MetadataAccountId}:role/{MetadataRole}",
            };
        }

        if (path == "/container-credentials")
        {
            record.StatusCode = 200;
            await WriteJsonAsync(context, JsonSerializer.Serialize(Credentials("container"))).ConfigureAwait(false);
            return;
        }
        if (path == "/latest/api/token" && HttpMethods.IsPut(context.Request.Method))
        {
            record.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(MetadataToken).ConfigureAwait(false);
            return;
        }
        if (context.Request.Headers["x-aws-ec2-metadata-token"].ToString() != MetadataToken)
        {
            record.StatusCode = 401;
            record.ErrorCode = "Unauthorized";
            context.Response.StatusCode = 401;
            return;
        }
        string text;
        switch (path)
        {
            case "/latest/meta-data/iam/security-credentials/":
            case "/latest/meta-data/iam/security-credentials":
                text = MetadataRole;
                break;
            case "/latest/meta-data/iam/security-credentials/" + MetadataRole:
                text = JsonSerializer.Serialize(Credentials("instance"));
                break;
            case "/latest/meta-data/placement/region":
                text = _options.Region;
                break;
            default:
                record.StatusCode = 404;
                record.ErrorCode = "NotFound";
                context.Response.StatusCode = 404;
                return;
        }
        record.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text).ConfigureAwait(false);
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
                service = r.Service,
                accessKeyId = r.AccessKeyId,
                signingRegion = r.SigningRegion,
                accountId = r.AccountId,
                inFlight = r.InFlight,
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
        if (path == "/_double/keys" && HttpMethods.IsGet(method))
        {
            // Test support: the issued secrets are listed so a test can prove none of them reached an output stream.
            var keys = Keys.All.Select(k => new { accessKeyId = k.AccessKeyId, secretKey = k.SecretKey, sessionToken = k.SessionToken, accountId = k.AccountId, principalArn = k.PrincipalArn, issuedBy = k.IssuedBy, expires = k.Expires });
            await WriteJsonAsync(context, JsonSerializer.Serialize(keys, LogJson)).ConfigureAwait(false);
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
