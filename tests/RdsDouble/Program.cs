using System.Globalization;
using RdsDouble;

// Console entry of the RDS API double:
//   dotnet RdsDouble.dll --state <file> [--access-key K --secret-key S --region R] [--latency-ms N] [--throttle-rps N]
//                        [--throttle-fraction F] [--error-rate F] [--drop-rate F] [--seed N] [--mode full|minimal] [--parameter-delay-ms N]
// Prints one line "RDS double listening on http://127.0.0.1:PORT/" and runs until stdin closes, Ctrl+C or SIGTERM.
var options = new RdsDoubleOptions();
int? latencyMs = null;
string? mode = null;
int? parameterDelayMs = null;
double? throttleRps = null;
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
        case "--throttle-rps": throttleRps = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--throttle-fraction": throttleFraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--error-rate": errorRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--drop-rate": dropRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--mode": mode = Next(); break;
        case "--parameter-delay-ms": parameterDelayMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument: {args[i]}");
            Console.Error.WriteLine("usage: RdsDouble --state <file> [--access-key K --secret-key S --region R] [--latency-ms N] [--throttle-rps N] [--throttle-fraction F] [--error-rate F] [--drop-rate F] [--seed N] [--mode full|minimal] [--parameter-delay-ms N]");
            return 2;
    }
}

await using RdsDoubleServer server = await RdsDoubleServer.StartAsync(options);
if (latencyMs is int ms) server.Faults.Latency = TimeSpan.FromMilliseconds(ms);
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
