using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AuroraSecurity.Tests.Infrastructure;
using MySqlConnector;
using Xunit;

namespace AuroraSecurity.Tests.Sandbox
{
    /// <summary>The MariaDB 10.11 sandbox that stands in for Aurora MySQL: TLS, accounts, rds_kill procedures.</summary>
    [Trait(Needs.Key, Needs.MariaDb)]
    [Collection(SandboxCollection.Name)]
    public sealed class SandboxTests
    {
        private const string SanOid = "2.5.29.17";
        private readonly SandboxServer _server;

        public SandboxTests(SandboxFixture fixture) => _server = fixture.Server;

        // ---- TLS on the shared sandbox ---------------------------------------------------------------

        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData("localhost")]
        public void VerifiedTlsWorksByIpAndName(string server)
        {
            using var c = _server.OpenAdmin(server);
            var version = StatusValue(c, "Ssl_version");
            Assert.False(string.IsNullOrEmpty(version));
            Assert.StartsWith("TLSv1.", version);
            Assert.False(string.IsNullOrEmpty(StatusValue(c, "Ssl_cipher")));
        }

        [Fact]
        public void WrongCaFailsTheHandshake()
        {
            var cs = _server.AdminConnectionString(caFile: _server.WrongCaFile);
            using var c = new MySqlConnection(cs.ConnectionString);
            var ex = Assert.ThrowsAny<MySqlException>(() => c.Open());
            Assert.Contains(Chain(ex), e => e is AuthenticationException);
        }

        [Fact]
        public void ServerCertificateCarriesClusterEndpointInSanAndInstanceEndpointInCn()
        {
            if (!_server.HasSan) return; // an attached sandbox started with --no-san; covered by NoSanVariant
            using var cert = X509CertificateLoader.LoadCertificateFromFile(_server.ServerCertFile);
            Assert.Equal(_server.InstanceEndpoint, cert.GetNameInfo(X509NameType.SimpleName, false));
            var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Contains(_server.ClusterEndpoint, san.EnumerateDnsNames());
            Assert.Contains("localhost", san.EnumerateDnsNames());
            Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
            Assert.Equal(2048, cert.GetRSAPublicKey()!.KeySize);
        }

        // ---- accounts as on Aurora -------------------------------------------------------------------

        [Fact]
        public void AdminLacksSuperSoSetGlobalIsDenied()
        {
            using var c = _server.OpenAdmin();
            var ex = Assert.Throws<MySqlException>(() => Exec(c, "SET GLOBAL require_secure_transport = ON"));
            Assert.Equal(1227, ex.Number);
        }

        [Fact]
        public void ReservedAccountsExistAndRootIsSocketOnly()
        {
            var rows = _server.RunRootSql(
                "SELECT CONCAT(User,'@',Host,' ',is_role) FROM mysql.user " +
                "WHERE User IN ('admin','rdsadmin','rds_superuser_role','root') ORDER BY User, Host");
            Assert.Contains("admin@% N", rows);
            Assert.Contains("rdsadmin@localhost N", rows);
            Assert.Contains("rds_superuser_role@ Y", rows);
            var rootHosts = _server.RunRootSql("SELECT Host FROM mysql.user WHERE User='root'").Trim();
            Assert.Equal("localhost", rootHosts);
            Assert.Contains("ACCOUNT LOCK", _server.RunRootSql("SHOW CREATE USER 'rdsadmin'@'localhost'"));

            var root = _server.ConnectionString("root", "", sslMode: MySqlSslMode.VerifyFull);
            using var rc = new MySqlConnection(root.ConnectionString);
            Assert.Equal(1045, Assert.Throws<MySqlException>(() => rc.Open()).Number);
        }

        // ---- rds_kill / rds_kill_query ----------------------------------------------------------------

        [Fact]
        public void RdsKillEndsAnotherUsersConnection()
        {
            using var victimUser = new TempUser(_server);
            using var victim = victimUser.Open();
            var victimId = victim.ServerThread;
            using var admin = _server.OpenAdmin();

            var plain = Assert.Throws<MySqlException>(() => Exec(admin, $"KILL {victimId}"));
            Assert.Equal(1095, plain.Number); // admin may not kill other users' threads directly

            Exec(admin, "CALL mysql.rds_kill(@id)", ("@id", victimId));

            var ex = Assert.ThrowsAny<Exception>(() => Scalar(victim, "SELECT 1"));
            Assert.True(ex is MySqlException || ex is InvalidOperationException, ex.ToString());
            Assert.NotEqual(System.Data.ConnectionState.Open, victim.State);
            Assert.False(ProcessListHas(admin, victimId));
        }

        [Fact]
        public async Task RdsKillQueryInterruptsOnlyTheStatement()
        {
            using var victimUser = new TempUser(_server);
            using var victim = victimUser.Open();
            var victimId = victim.ServerThread;
            using var admin = _server.OpenAdmin();

            var sw = Stopwatch.StartNew();
            var sleeping = Task.Run(() => Scalar(victim, "SELECT SLEEP(30)"));
            WaitUntil(() => Convert.ToString(Scalar(admin,
                "SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = @id", ("@id", victimId)))?
                .StartsWith("SELECT SLEEP", StringComparison.OrdinalIgnoreCase) == true, TimeSpan.FromSeconds(10));

            Exec(admin, "CALL mysql.rds_kill_query(@id)", ("@id", victimId));

            var ex = await Assert.ThrowsAsync<MySqlException>(() => sleeping);
            Assert.Equal(1317, ex.Number);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"statement ran {sw.Elapsed}");
            Assert.Equal(System.Data.ConnectionState.Open, victim.State);
            Assert.Equal(42L, Convert.ToInt64(Scalar(victim, "SELECT 42")));
            Assert.Equal((long)victimId, Convert.ToInt64(Scalar(victim, "SELECT CONNECTION_ID()")));
        }

        [Theory]
        [InlineData("mysql.rds_kill")]
        [InlineData("mysql.rds_kill_query")]
        public void RdsKillOfUnknownIdIs1094(string procedure)
        {
            using var admin = _server.OpenAdmin();
            const long unknown = 987654321;
            var ex = Assert.Throws<MySqlException>(() => Exec(admin, $"CALL {procedure}({unknown})"));
            Assert.Equal(1094, ex.Number);
            Assert.Equal($"Unknown thread id: {unknown}", ex.Message);
        }

        [Fact]
        public void GeneralLogRecordsStatements()
        {
            if (_server.GeneralLogFile is null) return; // attached sandbox without --general-log
            var marker = "sandbox_marker_" + Guid.NewGuid().ToString("N");
            using (var c = _server.OpenAdmin()) Scalar(c, $"SELECT '{marker}'");
            WaitUntil(() => File.ReadAllText(_server.GeneralLogFile).Contains(marker), TimeSpan.FromSeconds(5));
        }

        // ---- variants ---------------------------------------------------------------------------------

        [Fact]
        public void RequireSecureTransportRefusesPlaintextWith1045AndCanBeFlipped()
        {
            using var s = SandboxServer.Start(new SandboxOptions { Name = "xunit-rst", RequireSecureTransport = true });
            Assert.True(s.RequireSecureTransportAtStart);
            var plain = s.AdminConnectionString(sslMode: MySqlSslMode.None);

            using (var c = new MySqlConnection(plain.ConnectionString))
            {
                var ex = Assert.Throws<MySqlException>(() => c.Open());
                Assert.Equal(1045, ex.Number); // MySQL 8.0 / Aurora answer 3159 here
            }
            using (var tls = s.OpenAdmin())
                Assert.False(string.IsNullOrEmpty(StatusValue(tls, "Ssl_version")));

            s.SetRequireSecureTransport(false);
            using (var c = new MySqlConnection(plain.ConnectionString))
            {
                c.Open();
                Assert.Equal("", StatusValue(c, "Ssl_version"));
            }
            Assert.Contains("\"requireSecureTransport\": false", File.ReadAllText(s.JsonFile));
        }

        [Fact]
        public void SslCipherRestrictsWhatTheServerAccepts()
        {
            using var s = SandboxServer.Start(new SandboxOptions { Name = "xunit-cipher", SslCipher = "ECDHE-RSA-AES256-GCM-SHA384" });
            Assert.Equal("TLSv1.2", s.TlsVersion);
            Assert.Equal("ECDHE-RSA-AES256-GCM-SHA384", s.SslCipher);

            Assert.Equal("ECDHE-RSA-AES256-GCM-SHA384", OpenSslCipher(s, "-tls1_2", "ECDHE-RSA-AES256-GCM-SHA384"));
            Assert.Equal("(NONE)", OpenSslCipher(s, "-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256"));
            Assert.Equal("(NONE)", OpenSslCipher(s, "-tls1_2", "DHE-RSA-AES256-GCM-SHA384"));
            Assert.Equal("(NONE)", OpenSslCipher(s, "-tls1_3", null));

            using var c = s.OpenAdmin();
            Assert.Equal("TLSv1.2", StatusValue(c, "Ssl_version"));
            Assert.Equal("ECDHE-RSA-AES256-GCM-SHA384", StatusValue(c, "Ssl_cipher"));
        }

        [Fact]
        public void NoSanVariantHasNoSanExtensionAndVerifiesByCommonNameOnly()
        {
            using var s = SandboxServer.Start(new SandboxOptions { Name = "xunit-nosan", NoSan = true });
            Assert.False(s.HasSan);
            using (var cert = X509CertificateLoader.LoadCertificateFromFile(s.ServerCertFile))
            {
                Assert.DoesNotContain(cert.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == SanOid);
                Assert.Equal("localhost", cert.GetNameInfo(X509NameType.SimpleName, false));
            }

            using (var byName = s.OpenAdmin("localhost")) // CN fallback
                Assert.False(string.IsNullOrEmpty(StatusValue(byName, "Ssl_version")));

            using var byIp = new MySqlConnection(s.AdminConnectionString("127.0.0.1").ConnectionString);
            var ex = Assert.ThrowsAny<MySqlException>(() => byIp.Open());
            Assert.Contains(Chain(ex), e => e is AuthenticationException);
        }

        [Fact]
        public void TwoSandboxesRunAtOnceAndStopKillsOnlyItsOwnServer()
        {
            var first = SandboxServer.Start(new SandboxOptions { Name = "xunit-second" });
            var firstPid = first.Pid;
            SandboxServer? second = null;
            try
            {
                Assert.NotEqual(_server.Port, first.Port);
                using (var c = first.OpenAdmin()) Assert.Equal(1L, Convert.ToInt64(Scalar(c, "SELECT 1")));

                // Same name again: the old server is stopped first, the new one gets a fresh state.
                second = SandboxServer.Start(new SandboxOptions { Name = "xunit-second" });
                Assert.False(first.IsOurServerProcess(firstPid));
                Assert.NotEqual(firstPid, second.Pid);
                Assert.NotEqual(first.AdminPassword, second.AdminPassword);

                using (var c = second.OpenAdmin()) Assert.Equal(1L, Convert.ToInt64(Scalar(c, "SELECT 1")));
                using (var c = _server.OpenAdmin()) Assert.Equal(1L, Convert.ToInt64(Scalar(c, "SELECT 1")));

                var secondPid = second.Pid;
                second.Dispose();
                Assert.False(second.IsOurServerProcess(secondPid));
                Assert.True(_server.IsRunning());
                using (var c = _server.OpenAdmin()) Assert.Equal(1L, Convert.ToInt64(Scalar(c, "SELECT 1")));
                Assert.True(File.Exists(Path.Combine(second.StateDir, "sandbox.json"))); // stop removes nothing
            }
            finally
            {
                second?.Dispose();
                first.Dispose();
            }
        }

        [Fact]
        public void StartFailureThrowsWithTheServersError()
        {
            var ex = Assert.Throws<InvalidOperationException>(
                () => SandboxServer.Start(new SandboxOptions { Name = "xunit-broken", TlsVersion = "TLSv9" }));
            Assert.Contains("tls_version", ex.Message);
            Assert.Contains("start.sh", ex.Message);
        }

        // ---- helpers ----------------------------------------------------------------------------------

        private sealed class TempUser : IDisposable
        {
            private readonly SandboxServer _s;

            public TempUser(SandboxServer s)
            {
                _s = s;
                Name = "sbx_" + Guid.NewGuid().ToString("N").Substring(0, 12);
                Password = "Pw-" + Guid.NewGuid().ToString("N");
                using var admin = s.OpenAdmin();
                Exec(admin, $"CREATE USER '{Name}'@'%' IDENTIFIED BY '{Password}'");
            }

            public string Name { get; }
            public string Password { get; }

            public MySqlConnection Open()
            {
                var c = new MySqlConnection(_s.ConnectionString(Name, Password).ConnectionString);
                c.Open();
                return c;
            }

            public void Dispose()
            {
                using var admin = _s.OpenAdmin();
                Exec(admin, $"DROP USER IF EXISTS '{Name}'@'%'");
            }
        }

        private static string? OpenSslCipher(SandboxServer s, string protocol, string? cipher)
        {
            var args = new System.Collections.Generic.List<string>
            {
                "s_client", "-starttls", "mysql", "-connect", $"{s.Host}:{s.Port}", "-CAfile", s.CaFile, protocol,
            };
            if (cipher != null) { args.Add("-cipher"); args.Add(cipher); }
            var r = SandboxServer.RunProcess("openssl", args, TimeSpan.FromSeconds(20), stdin: "");
            var m = Regex.Match(r.StdOut, @"Cipher is (\S+)");
            Assert.True(m.Success, $"openssl s_client printed no cipher line:\n{r.StdOut}\n{r.StdErr}");
            return m.Groups[1].Value;
        }

        private static string StatusValue(MySqlConnection c, string name)
        {
            using var cmd = new MySqlCommand("SHOW SESSION STATUS LIKE @n", c);
            cmd.Parameters.AddWithValue("@n", name);
            using var r = cmd.ExecuteReader();
            return r.Read() ? r.GetString(1) : "";
        }

        private static void Exec(MySqlConnection c, string sql, params (string Name, object Value)[] ps)
        {
            using var cmd = new MySqlCommand(sql, c);
            foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
            cmd.ExecuteNonQuery();
        }

        private static object? Scalar(MySqlConnection c, string sql, params (string Name, object Value)[] ps)
        {
            using var cmd = new MySqlCommand(sql, c);
            foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
            return cmd.ExecuteScalar();
        }

        private static bool ProcessListHas(MySqlConnection admin, int id)
        {
            for (var i = 0; i < 50; i++)
            {
                var n = Convert.ToInt64(Scalar(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = @id", ("@id", id)));
                if (n == 0) return false;
                Thread.Sleep(100);
            }
            return true;
        }

        private static void WaitUntil(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > timeout) throw new TimeoutException($"condition not met within {timeout}");
                Thread.Sleep(50);
            }
        }

        private static System.Collections.Generic.IEnumerable<Exception> Chain(Exception e)
        {
            for (Exception? x = e; x != null; x = x.InnerException) yield return x;
        }
    }
}
