using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>Result of one aws CLI run.</summary>
    public sealed class CliResult
    {
        public int ExitCode { get; init; }
        public string StdOut { get; init; } = "";
        public string StdErr { get; init; } = "";

        public JsonElement Json
        {
            get
            {
                Assert.True(ExitCode == 0, $"aws exited {ExitCode}: {StdErr}");
                using JsonDocument doc = JsonDocument.Parse(StdOut);
                return doc.RootElement.Clone();
            }
        }

        /// <summary>Asserts the CLI failed with the given service error code, as the CLI prints it.</summary>
        public void AssertError(string code)
        {
            Assert.True(ExitCode != 0, $"expected {code} but aws succeeded: {StdOut}");
            Assert.Contains($"An error occurred ({code})", StdErr, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs the aws CLI (v1, found on PATH) against a double, isolated from any real AWS configuration.</summary>
    public static class AwsCli
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);
        private static readonly Lazy<string> Executable = new(Locate);
        private static readonly Lazy<string> EmptyConfig = new(() =>
        {
            string path = Path.Combine(Path.GetTempPath(), "rdsdouble-empty-aws-config-" + Environment.ProcessId);
            File.WriteAllText(path, "");
            return path;
        });

        private static string Locate()
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                if (dir.Length == 0) continue;
                foreach (string name in new[] { "aws", "aws.cmd", "aws.exe" })
                {
                    string candidate = Path.Combine(dir, name);
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new InvalidOperationException("The aws CLI was not found on PATH; it is required for the RDS double conformance tests.");
        }

        public static Task<CliResult> RunAsync(RdsDoubleServer server, params string[] args) =>
            RunAsync(server, new CliCredentials(server), args);

        public static Task<CliResult> RunAsync(RdsDoubleServer server, CliCredentials credentials, params string[] args) =>
            RunServiceAsync("rds", server, credentials, args);

        /// <summary>Runs "aws ec2 …" against the double, which answers EC2's DescribeSecurityGroups too.</summary>
        public static Task<CliResult> RunEc2Async(RdsDoubleServer server, params string[] args) =>
            RunServiceAsync("ec2", server, new CliCredentials(server), args);

        /// <summary>Runs "aws secretsmanager …" against the double, which answers Secrets Manager's GetSecretValue too.</summary>
        public static Task<CliResult> RunSecretsManagerAsync(RdsDoubleServer server, CliCredentials credentials, params string[] args) =>
            RunServiceAsync("secretsmanager", server, credentials, args);

        private static async Task<CliResult> RunServiceAsync(string service, RdsDoubleServer server, CliCredentials credentials, string[] args)
        {
            Needs.Require(Needs.AwsCli);
            var psi = new ProcessStartInfo(Executable.Value)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(service);
            foreach (string a in args) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("--endpoint-url");
            psi.ArgumentList.Add(server.Endpoint.ToString());
            psi.ArgumentList.Add("--region");
            psi.ArgumentList.Add(credentials.Region);
            psi.ArgumentList.Add("--output");
            psi.ArgumentList.Add("json");

            foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                psi.Environment.Remove(key);
            }
            psi.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKey;
            psi.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey;
            if (credentials.SessionToken is not null) psi.Environment["AWS_SESSION_TOKEN"] = credentials.SessionToken;
            psi.Environment["AWS_CONFIG_FILE"] = EmptyConfig.Value;
            psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = EmptyConfig.Value;
            psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            psi.Environment["AWS_RETRY_MODE"] = "standard";
            psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
            psi.Environment["AWS_PAGER"] = "";

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("aws did not start");
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Task exited = process.WaitForExitAsync();
            // A guard against a hung CLI, not a time limit: on a busy machine one CLI start alone can take half a minute.
            if (await Task.WhenAny(exited, Task.Delay(HangGuard)) != exited)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("aws " + service + " " + string.Join(' ', args) + $" did not finish in {HangGuard.TotalSeconds:0} s");
            }
            return new CliResult { ExitCode = process.ExitCode, StdOut = await stdout, StdErr = await stderr };
        }
    }

    public sealed class CliCredentials
    {
        public CliCredentials(RdsDoubleServer server)
        {
            AccessKey = DoubleFixture.AccessKey;
            SecretKey = DoubleFixture.SecretKey;
            Region = "us-east-1";
            _ = server;
        }

        public string AccessKey { get; init; }
        public string SecretKey { get; init; }
        public string? SessionToken { get; init; }
        public string Region { get; init; }
    }

    /// <summary>One double per test class, seeded with the built-in default state.</summary>
    public sealed class DoubleFixture : IAsyncLifetime
    {
        public const string AccessKey = "AKIDEXAMPLE";
        public const string SecretKey = "double-secret/key+for+tests";

        public RdsDoubleServer Server { get; private set; } = null!;

        public static Task<RdsDoubleServer> StartAsync()
        {
            Needs.Require(Needs.RdsDouble);
            return RdsDoubleServer.StartAsync(new RdsDoubleOptions { AccessKey = AccessKey, SecretKey = SecretKey, Region = "us-east-1" });
        }

        public async Task InitializeAsync() => Server = await StartAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    internal static class JsonExtensions
    {
        public static IEnumerable<JsonElement> Items(this JsonElement e, string name) => e.GetProperty(name).EnumerateArray();

        public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

        public static JsonElement ByName(this JsonElement parameters, string name) =>
            parameters.EnumerateArray().Single(p => p.Str("ParameterName") == name);
    }
}
