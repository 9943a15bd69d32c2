using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml.Linq;
using AuroraSecurity.Tests.Infrastructure;
using RdsDouble;
using Xunit;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>The request log, the control endpoints and raw HTTP behaviour.</summary>
    [Trait(Needs.Key, Needs.RdsDouble)]
    public sealed class RequestLogAndHttpTests
    {
        private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

        [Trait(Needs.Key, Needs.AwsCli)]
        [Fact]
        public async Task RequestLogRecordsEveryRequestServesJsonAndClears()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            using var http = new HttpClient();

            using (var unsigned = await http.PostAsync(server.Endpoint, new StringContent(
                       "Action=ModifyDBClusterParameterGroup&Version=2014-10-31&DBClusterParameterGroupName=shared-aurora-mysql57" +
                       "&Parameters.Parameter.1.ParameterName=require_secure_transport&Parameters.Parameter.1.ParameterValue=ON" +
                       "&Parameters.Parameter.1.ApplyMethod=immediate", Encoding.UTF8, "application/x-www-form-urlencoded")))
            {
                Assert.Equal(403, (int)unsigned.StatusCode);
                XElement error = XElement.Parse(await unsigned.Content.ReadAsStringAsync());
                Assert.Equal(Ns + "ErrorResponse", error.Name);
                Assert.Equal("MissingAuthenticationToken", error.Element(Ns + "Error")!.Element(Ns + "Code")!.Value);
            }
            await AwsCli.RunAsync(server, "describe-db-clusters", "--db-cluster-identifier", "orders");

            RecordedRequest[] log = server.Requests.ToArray();
            Assert.Equal(2, log.Length);
            Assert.Equal("ModifyDBClusterParameterGroup", log[0].Action);
            Assert.Equal("ON", log[0].Parameters["Parameters.Parameter.1.ParameterValue"]);
            Assert.False(log[0].Accepted);
            Assert.Equal("MissingAuthenticationToken", log[0].ErrorCode);
            Assert.Equal("DescribeDBClusters", log[1].Action);
            Assert.Equal("orders", log[1].Parameters["DBClusterIdentifier"]);
            Assert.True(log[1].Accepted);
            Assert.Equal(200, log[1].StatusCode);

            string json = await http.GetStringAsync(new Uri(server.Endpoint, "_double/requests"));
            using (JsonDocument doc = JsonDocument.Parse(json))
            {
                var rows = doc.RootElement.EnumerateArray().ToList();
                Assert.Equal(2, rows.Count);
                Assert.Equal("DescribeDBClusters", rows[1].GetProperty("action").GetString());
                Assert.True(rows[1].GetProperty("accepted").GetBoolean());
                Assert.Equal("orders", rows[1].GetProperty("parameters").GetProperty("DBClusterIdentifier").GetString());
            }

            using (var cleared = await http.PostAsync(new Uri(server.Endpoint, "_double/requests/clear"), new StringContent("")))
            {
                Assert.Equal(200, (int)cleared.StatusCode);
            }
            Assert.Empty(server.Requests);
            Assert.Equal("[]", await http.GetStringAsync(new Uri(server.Endpoint, "_double/requests")));
        }

        [Fact]
        public async Task SignedRawRequestsActionErrorsClockSkewAndXmlShape()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            using var http = new HttpClient();
            const string ak = DoubleFixture.AccessKey, sk = DoubleFixture.SecretKey;

            var (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(("Version", "2014-10-31")), ak, sk);
            Assert.Equal(400, status);
            Assert.Equal("MissingAction", Code(body));

            (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(("Action", "DeleteEverything"), ("Version", "2014-10-31")), ak, sk);
            Assert.Equal(400, status);
            Assert.Equal("InvalidAction", Code(body));

            (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(("Action", "DescribeDBClusters"), ("Version", "2014-10-31")),
                ak, sk, DateTime.UtcNow.AddMinutes(-20));
            Assert.Equal(403, status);
            Assert.Equal("SignatureDoesNotMatch", Code(body));
            Assert.Contains("Signature expired", body, StringComparison.Ordinal);

            (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(("Action", "DescribeDBClusters"), ("Version", "2014-10-31"),
                ("DBClusterIdentifier", "inventory")), ak, sk);
            Assert.Equal(200, status);
            XElement root = XElement.Parse(body);
            Assert.Equal(Ns + "DescribeDBClustersResponse", root.Name);
            XElement cluster = root.Element(Ns + "DescribeDBClustersResult")!.Element(Ns + "DBClusters")!.Element(Ns + "DBCluster")!;
            Assert.Equal("default.aurora-mysql8.0", cluster.Element(Ns + "DBClusterParameterGroup")!.Value);
            Assert.Equal(2, cluster.Element(Ns + "DBClusterMembers")!.Elements(Ns + "DBClusterMember").Count());
            Assert.True(Guid.TryParse(root.Element(Ns + "ResponseMetadata")!.Element(Ns + "RequestId")!.Value, out _));

            (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(("Action", "DescribeDBClusters"), ("Version", "2014-10-31"),
                ("DBClusterIdentifier", "nope")), ak, sk);
            Assert.Equal(404, status);
            Assert.Equal("DBClusterNotFoundFault", Code(body));
            Assert.Equal("Sender", XElement.Parse(body).Element(Ns + "Error")!.Element(Ns + "Type")!.Value);
        }

        [Fact]
        public async Task GetQueryStringContentSha256HeaderAndIncompleteSignature()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            using var http = new HttpClient();
            const string ak = DoubleFixture.AccessKey, sk = DoubleFixture.SecretKey;
            // Parameter order deliberately unsorted, values needing percent-encoding.
            string form = TestSigner.Form(("Version", "2014-10-31"), ("Action", "DescribeDBClusterParameters"),
                ("DBClusterParameterGroupName", "secure-aurora-mysql80"), ("Source", "user"), ("MaxRecords", "20"));

            var (status, body) = await TestSigner.SendAsync(http, server.Endpoint, form, ak, sk, null, "us-east-1", get: true, declaredPayloadHash: null);
            Assert.Equal(200, status);
            var names = XElement.Parse(body).Descendants(Ns + "ParameterName").Select(e => e.Value).ToArray();
            Assert.Equal(new[] { "require_secure_transport", "server_audit_events", "server_audit_logging", "ssl_cipher" }, names);
            Assert.Equal("GET", server.Requests.Last().Method);

            string postForm = TestSigner.Form(("Action", "DescribeDBProxies"), ("Version", "2014-10-31"), ("DBProxyName", "orders-proxy"));
            string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(postForm))).ToLowerInvariant();
            (status, _) = await TestSigner.SendAsync(http, server.Endpoint, postForm, ak, sk, null, "us-east-1", get: false, declaredPayloadHash: hash);
            Assert.Equal(200, status);
            (status, body) = await TestSigner.SendAsync(http, server.Endpoint, postForm, ak, sk, null, "us-east-1", get: false,
                declaredPayloadHash: new string('0', 64));
            Assert.Equal(403, status);
            Assert.Equal("SignatureDoesNotMatch", Code(body));

            using var incomplete = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
            {
                Content = new StringContent("Action=DescribeDBClusters&Version=2014-10-31", Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            incomplete.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            incomplete.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/rds/aws4_request");
            using HttpResponseMessage r = await http.SendAsync(incomplete);
            Assert.Equal(400, (int)r.StatusCode);
            Assert.Equal("IncompleteSignature", Code(await r.Content.ReadAsStringAsync()));
        }

        [Trait(Needs.Key, Needs.AwsCli)]
        [Fact]
        public async Task EveryOperationAnswersWithTheBotocoreModelsElementNames()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            using var http = new HttpClient();
            var calls = new (string Action, (string, string)[] Args)[]
            {
                ("DescribeDBClusters", new[] { ("MaxRecords", "20") }),
                ("DescribeDBInstances", new[] { ("Filters.Filter.1.Name", "db-cluster-id"), ("Filters.Filter.1.Values.Value.1", "orders") }),
                ("DescribeDBClusterParameterGroups", Array.Empty<(string, string)>()),
                ("DescribeDBClusterParameters", new[] { ("DBClusterParameterGroupName", "legacy-aurora-mysql57"), ("MaxRecords", "20") }),
                ("DescribeEngineDefaultClusterParameters", new[] { ("DBParameterGroupFamily", "aurora-mysql5.7"), ("MaxRecords", "20") }),
                ("DescribeCertificates", Array.Empty<(string, string)>()),
                ("DescribeDBProxies", Array.Empty<(string, string)>()),
                ("DescribeDBProxyTargets", new[] { ("DBProxyName", "billing-proxy") }),
                ("DescribeDBClusterSnapshots", new[] { ("SnapshotType", "manual") }),
                ("DescribeDBClusterSnapshotAttributes", new[] { ("DBClusterSnapshotIdentifier", "billing-month-end") }),
                ("CreateDBClusterParameterGroup", new[] { ("DBClusterParameterGroupName", "shape-check"), ("DBParameterGroupFamily", "aurora-mysql8.0"), ("Description", "d") }),
                ("ModifyDBClusterParameterGroup", new[] { ("DBClusterParameterGroupName", "shape-check"), ("Parameters.Parameter.1.ParameterName", "ssl_cipher"),
                    ("Parameters.Parameter.1.ParameterValue", "ECDHE-RSA-AES256-GCM-SHA384"), ("Parameters.Parameter.1.ApplyMethod", "pending-reboot") }),
                ("ResetDBClusterParameterGroup", new[] { ("DBClusterParameterGroupName", "shape-check"), ("ResetAllParameters", "true") }),
                ("ModifyDBCluster", new[] { ("DBClusterIdentifier", "inventory"), ("DBClusterParameterGroupName", "shape-check"), ("ApplyImmediately", "true") }),
                ("RebootDBInstance", new[] { ("DBInstanceIdentifier", "inventory-1") }),
            };
            var problems = new List<string>();
            foreach (var (action, args) in calls)
            {
                var pairs = new List<(string, string)> { ("Action", action), ("Version", "2014-10-31") };
                pairs.AddRange(args);
                var (status, body) = await TestSigner.PostAsync(http, server.Endpoint, TestSigner.Form(pairs.ToArray()), DoubleFixture.AccessKey, DoubleFixture.SecretKey);
                Assert.True(status == 200, action + ": " + body);
                XElement root = XElement.Parse(body);
                Assert.Equal(Ns, root.Name.Namespace);
                problems.AddRange(BotocoreModel.Rds.Validate(action, root).Select(p => action + ": " + p));
            }
            Assert.Empty(problems);
        }

        [Fact]
        public async Task FleetThreeHundredClustersPageByHundreds()
        {
            await using RdsDoubleServer server = await DoubleFixture.StartAsync();
            server.State.AddAuroraMySqlClusters(300, 7);
            using var http = new HttpClient();
            int total = 0, pages = 0;
            string? marker = null;
            do
            {
                var form = marker is null
                    ? TestSigner.Form(("Action", "DescribeDBClusters"), ("Version", "2014-10-31"), ("Filters.Filter.1.Name", "engine"), ("Filters.Filter.1.Values.Value.1", "aurora-mysql"))
                    : TestSigner.Form(("Action", "DescribeDBClusters"), ("Version", "2014-10-31"), ("Filters.Filter.1.Name", "engine"), ("Filters.Filter.1.Values.Value.1", "aurora-mysql"), ("Marker", marker));
                var (status, body) = await TestSigner.PostAsync(http, server.Endpoint, form, DoubleFixture.AccessKey, DoubleFixture.SecretKey);
                Assert.Equal(200, status);
                XElement result = XElement.Parse(body).Element(Ns + "DescribeDBClustersResult")!;
                total += result.Element(Ns + "DBClusters")!.Elements(Ns + "DBCluster").Count();
                marker = result.Element(Ns + "Marker")?.Value;
                pages++;
            }
            while (marker is not null);
            Assert.Equal(305, total);
            Assert.Equal(4, pages);
            Assert.Equal(7, server.State.ClusterParameterGroups.Count(g => g.Name.StartsWith("bench-cpg-", StringComparison.Ordinal)));
        }

        [Fact]
        public async Task SeededFaultsAreRepeatable()
        {
            async Task<string> Pattern()
            {
                await using RdsDoubleServer server = await DoubleFixture.StartAsync();
                server.Faults.RandomSeed = 1234;
                server.Faults.ServerErrorRate = 0.5;
                using var http = new HttpClient();
                var sb = new StringBuilder();
                for (int i = 0; i < 24; i++)
                {
                    using var r = await http.PostAsync(server.Endpoint, new StringContent("Action=DescribeDBClusters&Version=2014-10-31"));
                    sb.Append((int)r.StatusCode == 500 ? 'E' : '.');
                }
                return sb.ToString();
            }

            string first = await Pattern();
            string second = await Pattern();
            Assert.Equal(first, second);
            Assert.Contains('E', first);
            Assert.Contains('.', first);
        }

        [Fact]
        public async Task ConsoleEntryPrintsEndpointServesLogAndStopsWhenStdinCloses()
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "RdsDouble.dll");
            Assert.True(File.Exists(dll), dll);
            string seed = Path.Combine(Path.GetTempPath(), $"rdsdouble-seed-{Guid.NewGuid():N}.json");
            File.WriteAllText(seed, RdsState.LoadDefault().ToJson());
            try
            {
                var psi = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string a in new[] { dll, "--state", seed, "--access-key", "AKIDPROC", "--secret-key", "proc-secret", "--latency-ms", "1" })
                {
                    psi.ArgumentList.Add(a);
                }
                using Process process = Process.Start(psi)!;
                try
                {
                    Task<string?> lineTask = process.StandardOutput.ReadLineAsync();
                    Assert.True(await Task.WhenAny(lineTask, Task.Delay(TimeSpan.FromSeconds(20))) == lineTask, "no start-up line");
                    string line = (await lineTask) ?? "";
                    Assert.Matches(@"^RDS double listening on http://127\.0\.0\.1:\d+/$", line);
                    var endpoint = new Uri(line["RDS double listening on ".Length..]);

                    using var http = new HttpClient();
                    var (status, _) = await TestSigner.PostAsync(http, endpoint, TestSigner.Form(("Action", "DescribeCertificates"), ("Version", "2014-10-31")),
                        "AKIDPROC", "proc-secret");
                    Assert.Equal(200, status);
                    string log = await http.GetStringAsync(new Uri(endpoint, "_double/requests"));
                    Assert.Contains("\"DescribeCertificates\"", log, StringComparison.Ordinal);

                    process.StandardInput.Close();
                    Task exited = process.WaitForExitAsync();
                    Assert.True(await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(15))) == exited, "did not stop after stdin closed");
                    Assert.Equal(0, process.ExitCode);
                }
                finally
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                File.Delete(seed);
            }
        }

        private static string Code(string xml) => XElement.Parse(xml).Element(Ns + "Error")!.Element(Ns + "Code")!.Value;
    }
}
