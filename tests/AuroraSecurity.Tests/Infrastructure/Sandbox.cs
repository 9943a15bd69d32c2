using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using MySqlConnector;
using Xunit;

namespace AuroraSecurity.Tests.Infrastructure
{
    /// <summary>Options for tests/sandbox/start.sh.</summary>
    public sealed class SandboxOptions
    {
        /// <summary>Sandbox name; the state directory is &lt;repo&gt;/.sandbox/&lt;name&gt; (or under AURORA_SANDBOX_ROOT).</summary>
        public string Name { get; set; } = "default";

        /// <summary>MariaDB <c>tls_version</c> list, e.g. "TLSv1.2" or "TLSv1.2,TLSv1.3".</summary>
        public string? TlsVersion { get; set; }

        /// <summary>OpenSSL cipher names for <c>ssl_cipher</c>; implies TLSv1.2 only unless TlsVersion is set.</summary>
        public string? SslCipher { get; set; }

        /// <summary>Initial <c>require_secure_transport</c>; null leaves the default (OFF).</summary>
        public bool? RequireSecureTransport { get; set; }

        /// <summary>Server certificate with CN=localhost and no subjectAltName extension.</summary>
        public bool NoSan { get; set; }

        /// <summary>Write the general query log to a file in the state directory.</summary>
        public bool GeneralLog { get; set; }

        internal IEnumerable<string> ToArguments()
        {
            yield return "--name";
            yield return Name;
            if (!string.IsNullOrEmpty(TlsVersion)) { yield return "--tls-version"; yield return TlsVersion!; }
            if (!string.IsNullOrEmpty(SslCipher)) { yield return "--ssl-cipher"; yield return SslCipher!; }
            if (RequireSecureTransport.HasValue)
            {
                yield return "--require-secure-transport";
                yield return RequireSecureTransport.Value ? "ON" : "OFF";
            }
            if (NoSan) yield return "--no-san";
            if (GeneralLog) yield return "--general-log";
        }
    }

    /// <summary>
    /// A MariaDB server with TLS on 127.0.0.1 started by tests/sandbox/start.sh, standing in for an
    /// Aurora MySQL instance. Disposing a server this object started stops it; an attached server is left running.
    /// </summary>
    public sealed class SandboxServer : IDisposable
    {
        private static readonly Lazy<string> RepoRootLazy = new Lazy<string>(FindRepoRoot);
        private readonly bool _ownsServer;
        private bool _disposed;

        private SandboxServer(string jsonPath, bool ownsServer, string startOutput)
        {
            _ownsServer = ownsServer;
            JsonFile = Path.GetFullPath(jsonPath);
            StartOutput = startOutput;
            using var doc = JsonDocument.Parse(File.ReadAllText(JsonFile));
            var r = doc.RootElement;
            Name = Str(r, "name");
            StateDir = OptStr(r, "stateDir") ?? Path.GetDirectoryName(JsonFile)!;
            Host = Str(r, "host");
            Port = r.GetProperty("port").GetInt32();
            Socket = Str(r, "socket");
            PidFile = Str(r, "pidFile");
            DataDir = Str(r, "dataDir");
            ErrorLogFile = OptStr(r, "errorLogFile") ?? Path.Combine(StateDir, "error.log");
            CaFile = Str(r, "caFile");
            WrongCaFile = Str(r, "wrongCaFile");
            ServerCertFile = Str(r, "serverCertFile");
            ClusterEndpoint = Str(r, "clusterEndpoint");
            InstanceEndpoint = Str(r, "instanceEndpoint");
            AdminUser = Str(r, "adminUser");
            AdminPassword = Str(r, "adminPassword");
            RootSocketUser = OptStr(r, "rootSocketUser") ?? "root";
            TlsVersion = OptStr(r, "tlsVersion");
            SslCipher = OptStr(r, "sslCipher");
            RequireSecureTransportAtStart = r.TryGetProperty("requireSecureTransport", out var rst) && rst.ValueKind == JsonValueKind.True;
            HasSan = !r.TryGetProperty("hasSan", out var san) || san.ValueKind != JsonValueKind.False;
            GeneralLogFile = OptStr(r, "generalLogFile");
            ServerVersion = OptStr(r, "serverVersion") ?? "";
            IamPamService = OptStr(r, "iamPamService");
            IamKeysFile = OptStr(r, "iamKeysFile");
            IamVerifierLog = OptStr(r, "iamVerifierLog");
            IamUnavailable = OptStr(r, "iamUnavailable");
        }

        /// <summary>The folder holding AuroraSecurity.PowerShell.sln.</summary>
        public static string RepoRoot => RepoRootLazy.Value;

        /// <summary>The folder holding start.sh, stop.sh and set-require-secure-transport.sh.</summary>
        public static string ScriptDir => Path.Combine(RepoRoot, "tests", "sandbox");

        public string JsonFile { get; }
        public string StartOutput { get; }
        public string Name { get; }
        public string StateDir { get; }
        public string Host { get; }
        public int Port { get; }
        public string Socket { get; }
        public string PidFile { get; }
        public string DataDir { get; }
        public string ErrorLogFile { get; }
        public string CaFile { get; }
        public string WrongCaFile { get; }
        public string ServerCertFile { get; }
        public string ClusterEndpoint { get; }
        public string InstanceEndpoint { get; }
        public string AdminUser { get; }
        public string AdminPassword { get; }
        public string RootSocketUser { get; }
        public string? TlsVersion { get; }
        public string? SslCipher { get; }
        public bool RequireSecureTransportAtStart { get; }
        public bool HasSan { get; }
        public string? GeneralLogFile { get; }
        public string ServerVersion { get; }
        public string? IamPamService { get; }
        public string? IamKeysFile { get; }
        public string? IamVerifierLog { get; }
        public string? IamUnavailable { get; }
        public bool OwnsServer => _ownsServer;

        /// <summary>The PID recorded in the PID file (0 when absent).</summary>
        public int Pid
        {
            get
            {
                try { return int.Parse(File.ReadAllText(PidFile).Trim()); }
                catch (IOException) { return 0; }
                catch (FormatException) { return 0; }
            }
        }

        /// <summary>Starts a fresh sandbox; throws with the script's output when it cannot start.</summary>
        public static SandboxServer Start(SandboxOptions options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            Needs.Require(Needs.MariaDb);
            var args = new List<string> { Path.Combine(ScriptDir, "start.sh") };
            args.AddRange(options.ToArguments());
            var result = RunProcess("bash", args, TimeSpan.FromMinutes(10));
            var lastLine = result.StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
            if (result.ExitCode != 0 || lastLine is null || !File.Exists(lastLine))
            {
                throw new InvalidOperationException(
                    $"tests/sandbox/start.sh {string.Join(" ", options.ToArguments())} failed (exit {result.ExitCode}).\n" +
                    $"--- stdout ---\n{result.StdOut}\n--- stderr ---\n{result.StdErr}");
            }
            return new SandboxServer(lastLine, ownsServer: true, result.StdOut + result.StdErr);
        }

        /// <summary>Uses a sandbox somebody else started; Dispose leaves it running.</summary>
        public static SandboxServer Attach(string sandboxJson)
        {
            Needs.Require(Needs.MariaDb);
            if (!File.Exists(sandboxJson))
                throw new FileNotFoundException($"sandbox description not found: {sandboxJson}", sandboxJson);
            return new SandboxServer(sandboxJson, ownsServer: false, "");
        }

        /// <summary>Connection settings for the admin user with verified TLS against the sandbox CA.</summary>
        public MySqlConnectionStringBuilder AdminConnectionString(string? server = null, MySqlSslMode sslMode = MySqlSslMode.VerifyFull, string? caFile = null)
            => ConnectionString(AdminUser, AdminPassword, server, sslMode, caFile);

        public MySqlConnectionStringBuilder ConnectionString(string user, string password, string? server = null,
            MySqlSslMode sslMode = MySqlSslMode.VerifyFull, string? caFile = null)
        {
            var b = new MySqlConnectionStringBuilder
            {
                Server = server ?? Host,
                Port = (uint)Port,
                UserID = user,
                Password = password,
                SslMode = sslMode,
                ConnectionTimeout = 10,
                Pooling = false,
            };
            if (sslMode != MySqlSslMode.None && sslMode != MySqlSslMode.Disabled)
                b.SslCa = caFile ?? CaFile;
            return b;
        }

        /// <summary>Opens a connection as admin (verified TLS).</summary>
        public MySqlConnection OpenAdmin(string? server = null)
        {
            var c = new MySqlConnection(AdminConnectionString(server).ConnectionString);
            c.Open();
            return c;
        }

        /// <summary>
        /// Runs SQL as the socket-authenticated root account with the mariadb client (test setup only).
        /// Returns tab-separated rows without headers; throws with the client's output on failure.
        /// </summary>
        public string RunRootSql(string sql)
        {
            var result = RunProcess("mariadb", new[]
            {
                "--no-defaults", "--protocol=socket", "--socket=" + Socket, "-u" + RootSocketUser,
                "--batch", "--skip-column-names", "-e", sql,
            }, TimeSpan.FromSeconds(60));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"root SQL failed (exit {result.ExitCode}): {sql}\n{result.StdErr}{result.StdOut}");
            return result.StdOut;
        }

        /// <summary>
        /// Creates an account that logs in with an IAM database authentication token, as Aurora's
        /// AWSAuthenticationPlugin accounts do: MariaDB's PAM plugin asks for the token with mysql_clear_password and
        /// the sandbox's own PAM service checks its signature with verify-iam-token.py, against the keys given here.
        /// </summary>
        public void CreateIamUser(string user, string accessKey, string secretKey, string grants = "PROCESS ON *.*")
        {
            if (IamPamService is null || IamKeysFile is null)
                throw new InvalidOperationException($"This sandbox cannot check IAM tokens: {IamUnavailable ?? "start it with tests/sandbox/start.sh as root"}.");
            lock (IamKeysLock)
            {
                var keys = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(IamKeysFile)) ?? new Dictionary<string, string>();
                keys[accessKey] = secretKey;
                File.WriteAllText(IamKeysFile, JsonSerializer.Serialize(keys));
            }
            RunRootSql($"DROP USER IF EXISTS '{user}'@'%'; CREATE USER '{user}'@'%' IDENTIFIED VIA pam USING '{IamPamService}' REQUIRE SSL; GRANT {grants} TO '{user}'@'%';");
        }

        /// <summary>The IAM verifier's decisions so far, one line each: time, user, accepted or refused with the reason.</summary>
        public string[] IamVerifierDecisions()
            => IamVerifierLog != null && File.Exists(IamVerifierLog) ? File.ReadAllLines(IamVerifierLog) : new string[0];

        private static readonly object IamKeysLock = new object();

        /// <summary>Flips require_secure_transport at run time via set-require-secure-transport.sh.</summary>
        public void SetRequireSecureTransport(bool on)
        {
            var result = RunProcess("bash", new[]
            {
                Path.Combine(ScriptDir, "set-require-secure-transport.sh"), StateDir, on ? "ON" : "OFF",
            }, TimeSpan.FromSeconds(60));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"set-require-secure-transport.sh failed (exit {result.ExitCode}):\n{result.StdErr}{result.StdOut}");
        }

        /// <summary>True while the process named by the PID file is this sandbox's mariadbd.</summary>
        public bool IsRunning()
        {
            var pid = Pid;
            return pid > 0 && IsOurServerProcess(pid);
        }

        internal bool IsOurServerProcess(int pid)
        {
            var cmdline = $"/proc/{pid}/cmdline";
            try
            {
                var args = File.ReadAllText(cmdline).Split('\0');
                return args.Contains("--defaults-file=" + Path.Combine(StateDir, "my.cnf"));
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        /// <summary>Runs stop.sh for this sandbox (whether or not this object started it).</summary>
        public void Stop()
        {
            var result = RunProcess("bash", new[] { Path.Combine(ScriptDir, "stop.sh"), StateDir }, TimeSpan.FromSeconds(60));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"stop.sh failed (exit {result.ExitCode}):\n{result.StdErr}{result.StdOut}");
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_ownsServer) Stop();
        }

        public override string ToString() => $"sandbox '{Name}' {Host}:{Port} ({ServerVersion})";

        private static string Str(JsonElement r, string name)
            => OptStr(r, name) ?? throw new InvalidDataException($"sandbox.json lacks '{name}'");

        private static string? OptStr(JsonElement r, string name)
            => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AuroraSecurity.PowerShell.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException(
                $"AuroraSecurity.PowerShell.sln not found above {AppContext.BaseDirectory}");
        }

        /// <summary>Result of a child process.</summary>
        public sealed class ProcessResult
        {
            public ProcessResult(int exitCode, string stdOut, string stdErr)
            {
                ExitCode = exitCode; StdOut = stdOut; StdErr = stdErr;
            }
            public int ExitCode { get; }
            public string StdOut { get; }
            public string StdErr { get; }
        }

        /// <summary>Runs a program with arguments (no shell), capturing its output, killing it after the timeout.</summary>
        public static ProcessResult RunProcess(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? stdin = null)
        {
            var psi = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (stdin != null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                p.WaitForExit();
                throw new TimeoutException(
                    $"{fileName} {string.Join(" ", arguments)} did not finish within {timeout.TotalSeconds:0} s\n{Wait(stdout)}{Wait(stderr)}");
            }
            p.WaitForExit();
            return new ProcessResult(p.ExitCode, Wait(stdout), Wait(stderr));
        }

        private static string Wait(Task<string> t) => t.Wait(TimeSpan.FromSeconds(5)) ? t.Result : "";
    }

    /// <summary>
    /// The shared default sandbox for the "sandbox" collection: the one named by the environment variable
    /// AURORA_SANDBOX (a sandbox.json path) when set, else a sandbox named "xunit" with the general log on,
    /// started here and stopped when the collection is done. A server that cannot start fails the tests.
    /// </summary>
    public sealed class SandboxFixture : IDisposable
    {
        public const string EnvironmentVariable = "AURORA_SANDBOX";

        public SandboxFixture()
        {
            var json = Environment.GetEnvironmentVariable(EnvironmentVariable);
            Server = !string.IsNullOrWhiteSpace(json)
                ? SandboxServer.Attach(json!)
                : SandboxServer.Start(new SandboxOptions { Name = "xunit", GeneralLog = true });
        }

        public SandboxServer Server { get; }

        public void Dispose() => Server.Dispose();
    }

    [CollectionDefinition(Name)]
    public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
    {
        public const string Name = "sandbox";
    }
}
