using System.Globalization;
using RdsDouble;

// Console entry of the RDS API double (with EC2's DescribeSecurityGroups, STS and an IAM Identity Center portal):
//   dotnet RdsDouble.dll --state <file> [--access-key K --secret-key S --region R] [--latency-ms N] [--region-latency R=N] [--throttle-rps N]
//     [--throttle-fraction F] [--error-rate F] [--drop-rate F] [--seed N]
//     [--regions R2,R3] [--tenant-clusters N] [--deny-role ARN] [--external-id ARN=ID] [--mfa-serial ARN=SERIAL]
//     [--credential-lifetime-seconds N] [--web-identity-token T] [--sso-access-token T]
//     [--mode full|minimal] [--parameter-delay-ms N]
// Prints one line "RDS double listening on http://127.0.0.1:PORT/" and runs until stdin closes, Ctrl+C or SIGTERM.
var options = new RdsDoubleOptions();
int? latencyMs = null;
var regionLatency = new Dictionary<string, TimeSpan>();
string? mode = null;
int? parameterDelayMs = null;
double? throttleRps = null;
var deniedRoles = new List<string>();
var externalIds = new Dictionary<string, string>();
var mfaSerials = new Dictionary<string, string>();
int? lifetimeSeconds = null;
string? webToken = null;
string? ssoToken = null;
int tenantClusters = 0;
double throttleFraction = 0, errorRate = 0, dropRate = 0;
int? seed = null;
for (int i = 0; i < args.Length; i++)
{
    string Next()
    {
        if (i + 1 >= args.Length) throw new ArgumentException($"Missing value after {args[i]}");
        return args[++i];
    }
    switch (args[i])
    {
        case "--state": options.StateFile = Next(); break;
        case "--access-key": options.AccessKey = Next(); break;
        case "--secret-key": options.SecretKey = Next(); break;
        case "--region": options.Region = Next(); break;
        case "--latency-ms": latencyMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--region-latency":
            string slow = Next();
            int sep = slow.LastIndexOf('=');
            regionLatency[slow[..sep]] = TimeSpan.FromMilliseconds(int.Parse(slow[(sep + 1)..], CultureInfo.InvariantCulture));
            break;
        case "--throttle-rps": throttleRps = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--regions": options.ExtraRegions.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
        case "--deny-role": deniedRoles.Add(Next()); break;
        case "--external-id":
            string pair = Next();
            int at = pair.LastIndexOf('=');
            externalIds[pair[..at]] = pair[(at + 1)..];
            break;
        case "--mfa-serial":
            string mfa = Next();
            int eq = mfa.LastIndexOf('=');
            mfaSerials[mfa[..eq]] = mfa[(eq + 1)..];
            break;
        case "--credential-lifetime-seconds": lifetimeSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--web-identity-token": webToken = Next(); break;
        case "--sso-access-token": ssoToken = Next(); break;
        case "--tenant-clusters": tenantClusters = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--throttle-fraction": throttleFraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--error-rate": errorRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--drop-rate": dropRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--mode": mode = Next(); break;
        case "--parameter-delay-ms": parameterDelayMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument: {args[i]}");
            Console.Error.WriteLine("usage: RdsDouble --state <file> [--access-key K --secret-key S --region R] [--latency-ms N] [--region-latency R=N] [--throttle-rps N] [--throttle-fraction F] [--error-rate F] [--drop-rate F] [--seed N] [--mode full|minimal] [--parameter-delay-ms N]");
            return 2;
    }
}

if (tenantClusters > 0) options.TenantSetup = state => state.AddAuroraMySqlClusters(tenantClusters, Math.Max(1, tenantClusters / 10));
await using RdsDoubleServer server = await RdsDoubleServer.StartAsync(options);
foreach (string role in deniedRoles) server.Sts.DeniedRoles.Add(role);
foreach (var (role, id) in externalIds) server.Sts.ExternalIds[role] = id;
foreach (var (role, serial) in mfaSerials) server.Sts.MfaSerials[role] = serial;
if (lifetimeSeconds is int life) server.Sts.LifetimeOverride = TimeSpan.FromSeconds(life);
if (webToken is not null) server.Sts.WebIdentityToken = webToken;
if (ssoToken is not null) server.Sts.SsoAccessToken = ssoToken;
if (latencyMs is int ms) server.Faults.Latency = TimeSpan.FromMilliseconds(ms);
foreach (var (region, extra) in regionLatency) server.Faults.RegionLatency[region] = extra;
if (throttleRps is double rps) server.Faults.ThrottleAboveRequestsPerSecond = rps;
if (seed is int s) server.Faults.RandomSeed = s;
server.Faults.ThrottleFraction = throttleFraction;
server.Faults.ServerErrorRate = errorRate;
server.Faults.DropConnectionRate = dropRate;
if (mode is not null) server.Answers.Set(mode, parameterDelayMs is int pd ? TimeSpan.FromMilliseconds(pd) : null);
else if (parameterDelayMs is int delayMs) server.Answers.ParameterChangeDelay = TimeSpan.FromMilliseconds(delayMs);

Console.Out.WriteLine($"RDS double listening on {server.Endpoint}");
Console.Out.Flush();

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    stop.TrySetResult();
});
_ = Task.Run(() =>
{
    // Runs until stdin reaches end of file (the parent closed it).
    while (Console.In.Read() >= 0)
    {
    }
    stop.TrySetResult();
});
await stop.Task;
return 0;
