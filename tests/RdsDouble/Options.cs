namespace RdsDouble;

/// <summary>Start-up settings of the double.</summary>
public sealed class RdsDoubleOptions
{
    public string AccessKey { get; set; } = "AKIDEXAMPLE";
    public string SecretKey { get; set; } = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public string Region { get; set; } = "us-east-1";

    /// <summary>JSON seed file; null means the built-in default seed (seed/default-state.json).</summary>
    public string? StateFile { get; set; }

    /// <summary>Allowed clock skew of X-Amz-Date against the server clock.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>More regions served besides <see cref="Region"/>; each account gets its own state per region, made from the seed on first use.</summary>
    public List<string> ExtraRegions { get; set; } = new();

    /// <summary>Runs on every state made for another account or region (for example to add clusters).</summary>
    public Action<RdsState>? TenantSetup { get; set; }
}

/// <summary>Fault injection switches; may be changed while the server runs.</summary>
public sealed class FaultSettings
{
    private readonly object _gate = new();
    private Random _random = new();
    private int? _randomSeed;
    private double? _throttleRate;
    private double _tokens;
    private DateTime _lastRefill = DateTime.UtcNow;

    /// <summary>Delay added before every API request is handled.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// More delay for requests signed for one region (read from the credential scope of the Authorization header), so one region
    /// of a run can be slower than the others.
    /// </summary>
    public Dictionary<string, TimeSpan> RegionLatency { get; } = new(StringComparer.Ordinal);

    /// <summary>The delay for a request whose Authorization header is <paramref name="authorization"/>.</summary>
    public TimeSpan LatencyFor(string? authorization)
    {
        TimeSpan latency = Latency;
        if (RegionLatency.Count == 0 || authorization is null) return latency;
        // "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/rds/aws4_request, ..."
        int at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (at < 0) return latency;
        string[] scope = authorization[(at + "Credential=".Length)..].Split(',')[0].Split('/');
        return scope.Length > 2 && RegionLatency.TryGetValue(scope[2], out TimeSpan extra) ? latency + extra : latency;
    }

    /// <summary>Token bucket: sustained rate in requests per second, burst equal to the rate (at least 1). Null disables throttling.</summary>
    public double? ThrottleAboveRequestsPerSecond
    {
        get { lock (_gate) { return _throttleRate; } }
        set
        {
            lock (_gate)
            {
                _throttleRate = value;
                _tokens = value is null ? 0 : Math.Max(1.0, value.Value);
                _lastRefill = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Fraction (0..1) of requests answered with a throttling error at random, whatever the rate.</summary>
    public double ThrottleFraction { get; set; }

    /// <summary>Fraction (0..1) of requests answered with HTTP 500 InternalFailure.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Fraction (0..1) of requests whose connection is aborted without an answer.</summary>
    public double DropConnectionRate { get; set; }

    /// <summary>Seed for the fault dice; setting it restarts the sequence so runs are repeatable.</summary>
    public int? RandomSeed
    {
        get { lock (_gate) { return _randomSeed; } }
        set
        {
            lock (_gate)
            {
                _randomSeed = value;
                _random = value is null ? new Random() : new Random(value.Value);
            }
        }
    }

    /// <summary>Turns every fault off.</summary>
    public void Reset()
    {
        Latency = TimeSpan.Zero;
        RegionLatency.Clear();
        ThrottleAboveRequestsPerSecond = null;
        ThrottleFraction = 0;
        ServerErrorRate = 0;
        DropConnectionRate = 0;
    }

    internal bool Roll(double rate)
    {
        if (rate <= 0) return false;
        lock (_gate)
        {
            // Always draw so the sequence depends only on the number of requests.
            double x = _random.NextDouble();
            return x < rate;
        }
    }

    internal bool TryTakeToken()
    {
        lock (_gate)
        {
            if (_throttleRate is not double rate) return true;
            DateTime now = DateTime.UtcNow;
            double capacity = Math.Max(1.0, rate);
            _tokens = Math.Min(capacity, _tokens + (now - _lastRefill).TotalSeconds * rate);
            _lastRefill = now;
            if (_tokens >= 1.0)
            {
                _tokens -= 1.0;
                return true;
            }
            return false;
        }
    }
}

/// <summary>One request as the double received it.</summary>
public sealed class RecordedRequest
{
    public DateTimeOffset Time { get; init; }
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string? Action { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public int StatusCode { get; set; }
    /// <summary>Null when the request was accepted; the wire error code otherwise ("ConnectionDropped" for an aborted connection).</summary>
    public string? ErrorCode { get; set; }
    public bool Accepted => ErrorCode is null;
    /// <summary>The service the request was for: rds, sts or sso.</summary>
    public string Service { get; set; } = "rds";
    /// <summary>The access key that signed the request (null for unsigned requests).</summary>
    public string? AccessKeyId { get; set; }
    /// <summary>The region of the signature's credential scope.</summary>
    public string? SigningRegion { get; set; }
    /// <summary>The account the signing key belongs to.</summary>
    public string? AccountId { get; set; }
    /// <summary>Requests of the API (RDS, EC2, STS) being answered when this one arrived, itself included.</summary>
    public int InFlight { get; set; }
}
