using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>The RDS Query API (2014-10-31) over HTTPS: signed form POSTs, XML answers, paging and retries.</summary>
    public sealed class RdsQueryClient : IRdsApi, IDisposable
    {
        public const int MaxParametersPerModify = 20;
        private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

        private readonly RdsClientOptions _options;
        private readonly HttpClient _http;

        public RdsQueryClient(RdsClientOptions options)
            : this(options, new HttpClientHandler(), disposeHandler: true)
        {
        }

        /// <summary>Uses <paramref name="handler"/> for transport, so tests can serve answers without a network.</summary>
        public RdsQueryClient(RdsClientOptions options, HttpMessageHandler handler, bool disposeHandler = false)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _http = new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler)
            {
                // Per-attempt timeouts are enforced by our own token so that a timeout can be retried.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
        }

        public RdsClientOptions Options => _options;

        public void Dispose() => _http.Dispose();

        public async Task<IReadOnlyList<RdsDbCluster>> DescribeDBClustersAsync(string? dbClusterIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeDBClusters").Add("DBClusterIdentifier", Optional(dbClusterIdentifier)).AddFilters(filters);
            return await DescribeAllAsync(request, r => RdsXml.List(r, "DBClusters", "DBCluster").Select(RdsResponseParser.Cluster), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsDbInstance>> DescribeDBInstancesAsync(string? dbInstanceIdentifier = null, IEnumerable<RdsFilter>? filters = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeDBInstances").Add("DBInstanceIdentifier", Optional(dbInstanceIdentifier)).AddFilters(filters);
            return await DescribeAllAsync(request, r => RdsXml.List(r, "DBInstances", "DBInstance").Select(RdsResponseParser.Instance), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsClusterParameterGroup>> DescribeDBClusterParameterGroupsAsync(string? dbClusterParameterGroupName = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeDBClusterParameterGroups").Add("DBClusterParameterGroupName", Optional(dbClusterParameterGroupName));
            return await DescribeAllAsync(request, r => RdsXml.List(r, "DBClusterParameterGroups", "DBClusterParameterGroup").Select(RdsResponseParser.ClusterParameterGroup), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsParameter>> DescribeDBClusterParametersAsync(string dbClusterParameterGroupName, string? source = null, CancellationToken cancellationToken = default)
        {
            Require(dbClusterParameterGroupName, nameof(dbClusterParameterGroupName), "a DB cluster parameter group name");
            var request = new RdsQueryRequest("DescribeDBClusterParameters").Add("DBClusterParameterGroupName", dbClusterParameterGroupName).Add("Source", Optional(source));
            return await DescribeAllAsync(request, r => RdsXml.List(r, "Parameters", "Parameter").Select(RdsResponseParser.Parameter), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsParameter>> DescribeEngineDefaultClusterParametersAsync(string dbParameterGroupFamily, CancellationToken cancellationToken = default)
        {
            Require(dbParameterGroupFamily, nameof(dbParameterGroupFamily), "a DB parameter group family (e.g. aurora-mysql8.0)");
            var request = new RdsQueryRequest("DescribeEngineDefaultClusterParameters").Add("DBParameterGroupFamily", dbParameterGroupFamily);
            return await DescribeAllAsync(
                request,
                r => RdsXml.List(RdsXml.Child(r, "EngineDefaults"), "Parameters", "Parameter").Select(RdsResponseParser.Parameter),
                r => RdsXml.NonEmptyText(RdsXml.Child(r, "EngineDefaults"), "Marker"),
                cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsCertificate>> DescribeCertificatesAsync(string? certificateIdentifier = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeCertificates").Add("CertificateIdentifier", Optional(certificateIdentifier));
            return await DescribeAllAsync(
                request,
                r =>
                {
                    var defaultId = RdsXml.NonEmptyText(r, "DefaultCertificateForNewLaunches");
                    return RdsXml.List(r, "Certificates", "Certificate").Select(c => RdsResponseParser.Certificate(c, defaultId));
                },
                MarkerOf,
                cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsDbProxy>> DescribeDBProxiesAsync(string? dbProxyName = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeDBProxies").Add("DBProxyName", Optional(dbProxyName));
            // The model gives DBProxyList no location name, so items are <member>.
            return await DescribeAllAsync(request, r => RdsXml.List(r, "DBProxies", null).Select(RdsResponseParser.Proxy), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsDbProxyTarget>> DescribeDBProxyTargetsAsync(string dbProxyName, CancellationToken cancellationToken = default)
        {
            Require(dbProxyName, nameof(dbProxyName), "a DB proxy name");
            var request = new RdsQueryRequest("DescribeDBProxyTargets").Add("DBProxyName", dbProxyName.Trim());
            // The model gives TargetList no location name, so items are <member>.
            return await DescribeAllAsync(request, r => RdsXml.List(r, "Targets", null).Select(RdsResponseParser.ProxyTarget), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsDbClusterSnapshot>> DescribeDBClusterSnapshotsAsync(string? dbClusterIdentifier = null, string? snapshotType = null, CancellationToken cancellationToken = default)
        {
            var request = new RdsQueryRequest("DescribeDBClusterSnapshots")
                .Add("DBClusterIdentifier", Optional(dbClusterIdentifier))
                .Add("SnapshotType", Optional(snapshotType));
            return await DescribeAllAsync(request, r => RdsXml.List(r, "DBClusterSnapshots", "DBClusterSnapshot").Select(RdsResponseParser.ClusterSnapshot), MarkerOf, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RdsSnapshotAttribute>> DescribeDBClusterSnapshotAttributesAsync(string dbClusterSnapshotIdentifier, CancellationToken cancellationToken = default)
        {
            Require(dbClusterSnapshotIdentifier, nameof(dbClusterSnapshotIdentifier), "a DB cluster snapshot identifier");
            var request = new RdsQueryRequest("DescribeDBClusterSnapshotAttributes").Add("DBClusterSnapshotIdentifier", dbClusterSnapshotIdentifier.Trim());
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            var attributes = RdsXml.Child(result, "DBClusterSnapshotAttributesResult");
            return RdsXml.List(attributes, "DBClusterSnapshotAttributes", "DBClusterSnapshotAttribute").Select(RdsResponseParser.SnapshotAttribute).ToList();
        }

        public async Task<string> ModifyDBClusterParameterGroupAsync(string dbClusterParameterGroupName, IReadOnlyList<RdsParameter> parameters, CancellationToken cancellationToken = default)
        {
            Require(dbClusterParameterGroupName, nameof(dbClusterParameterGroupName), "a DB cluster parameter group name");
            if (parameters == null || parameters.Count == 0) throw new ArgumentException("ModifyDBClusterParameterGroup needs at least one parameter.", nameof(parameters));
            if (parameters.Count > MaxParametersPerModify)
            {
                throw new ArgumentException(
                    "ModifyDBClusterParameterGroup accepts at most " + MaxParametersPerModify + " parameters per call; " + parameters.Count + " were given. Split the change into batches of 20.",
                    nameof(parameters));
            }

            ValidateParameters(parameters, nameof(parameters));
            var request = new RdsQueryRequest("ModifyDBClusterParameterGroup").Add("DBClusterParameterGroupName", dbClusterParameterGroupName).AddParameters(parameters);
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            return RdsXml.NonEmptyText(result, "DBClusterParameterGroupName") ?? dbClusterParameterGroupName;
        }

        public async Task<string> ResetDBClusterParameterGroupAsync(string dbClusterParameterGroupName, bool resetAllParameters, IReadOnlyList<RdsParameter>? parameters = null, CancellationToken cancellationToken = default)
        {
            Require(dbClusterParameterGroupName, nameof(dbClusterParameterGroupName), "a DB cluster parameter group name");
            var count = parameters?.Count ?? 0;
            if (resetAllParameters && count > 0) throw new ArgumentException("Reset either all parameters or the named ones, not both.", nameof(parameters));
            if (!resetAllParameters && count == 0) throw new ArgumentException("Name the parameters to reset, or reset all of them.", nameof(parameters));
            if (count > 0) ValidateParameters(parameters!, nameof(parameters));
            var request = new RdsQueryRequest("ResetDBClusterParameterGroup")
                .Add("DBClusterParameterGroupName", dbClusterParameterGroupName)
                .Add("ResetAllParameters", resetAllParameters ? true : (bool?)null);
            if (count > 0) request.AddParameters(parameters);
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            return RdsXml.NonEmptyText(result, "DBClusterParameterGroupName") ?? dbClusterParameterGroupName;
        }

        public async Task<RdsClusterParameterGroup> CreateDBClusterParameterGroupAsync(string dbClusterParameterGroupName, string dbParameterGroupFamily, string description, CancellationToken cancellationToken = default)
        {
            Require(dbClusterParameterGroupName, nameof(dbClusterParameterGroupName), "a DB cluster parameter group name");
            Require(dbParameterGroupFamily, nameof(dbParameterGroupFamily), "a DB parameter group family (e.g. aurora-mysql8.0)");
            Require(description, nameof(description), "a description (RDS requires one)");
            var request = new RdsQueryRequest("CreateDBClusterParameterGroup")
                .Add("DBClusterParameterGroupName", dbClusterParameterGroupName)
                .Add("DBParameterGroupFamily", dbParameterGroupFamily)
                .Add("Description", description);
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            var group = RdsXml.Child(result, "DBClusterParameterGroup");
            return group != null
                ? RdsResponseParser.ClusterParameterGroup(group)
                : new RdsClusterParameterGroup { DBClusterParameterGroupName = dbClusterParameterGroupName, DBParameterGroupFamily = dbParameterGroupFamily, Description = description };
        }

        public async Task<RdsDbCluster> ModifyDBClusterAsync(string dbClusterIdentifier, string? dbClusterParameterGroupName = null, bool? enableIAMDatabaseAuthentication = null, bool applyImmediately = false, CancellationToken cancellationToken = default)
        {
            Require(dbClusterIdentifier, nameof(dbClusterIdentifier), "a DB cluster identifier");
            if (string.IsNullOrWhiteSpace(dbClusterParameterGroupName) && enableIAMDatabaseAuthentication == null)
            {
                throw new ArgumentException("ModifyDBCluster needs a change: a parameter group name or an IAM database authentication setting.");
            }

            var request = new RdsQueryRequest("ModifyDBCluster")
                .Add("DBClusterIdentifier", dbClusterIdentifier)
                .Add("DBClusterParameterGroupName", Optional(dbClusterParameterGroupName))
                .Add("EnableIAMDatabaseAuthentication", enableIAMDatabaseAuthentication)
                .Add("ApplyImmediately", applyImmediately);
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            var cluster = RdsXml.Child(result, "DBCluster") ?? throw new FormatException("The ModifyDBCluster answer has no DBCluster element.");
            return RdsResponseParser.Cluster(cluster);
        }

        public async Task<RdsDbInstance> RebootDBInstanceAsync(string dbInstanceIdentifier, CancellationToken cancellationToken = default)
        {
            Require(dbInstanceIdentifier, nameof(dbInstanceIdentifier), "a DB instance identifier");
            var request = new RdsQueryRequest("RebootDBInstance").Add("DBInstanceIdentifier", dbInstanceIdentifier);
            var result = RdsXml.Result(await SendAsync(request, cancellationToken).ConfigureAwait(false), request.Action);
            var instance = RdsXml.Child(result, "DBInstance") ?? throw new FormatException("The RebootDBInstance answer has no DBInstance element.");
            return RdsResponseParser.Instance(instance);
        }

        private async Task<List<T>> DescribeAllAsync<T>(RdsQueryRequest request, Func<XElement, IEnumerable<T>> items, Func<XElement, string?> nextMarker, CancellationToken cancellationToken)
        {
            var all = new List<T>();
            var seenMarkers = new HashSet<string>(StringComparer.Ordinal);
            string? marker = null;
            do
            {
                var page = await SendAsync(request.WithPaging(_options.PageSize, marker), cancellationToken).ConfigureAwait(false);
                var result = RdsXml.Result(page, request.Action);
                all.AddRange(items(result));
                marker = nextMarker(result);
                // A marker that comes back twice would page forever.
                if (marker != null && !seenMarkers.Add(marker))
                {
                    throw new InvalidOperationException("RDS " + request.Action + " returned the same page marker twice; stopping to avoid an endless loop.");
                }
            }
            while (marker != null);

            return all;
        }

        private static string? MarkerOf(XElement result) => RdsXml.NonEmptyText(result, "Marker");

        internal Task<XDocument> SendAsync(RdsQueryRequest request, CancellationToken cancellationToken)
        {
            var body = Encoding.UTF8.GetBytes(request.ToFormBody());
            return PacedRequest.SendAsync<XDocument, RdsApiException>(_options.Retry, _options.RateLimiter, _options.SharedThrottle,
                ct => SendOnceAsync(request.Action, body, ct), cancellationToken);
        }

        /// <summary>How long to wait before retrying <paramref name="failure"/>: see <see cref="PacedRequest.RetryDelay"/>.</summary>
        internal static TimeSpan RetryDelay(RdsRetryPolicy policy, RdsApiException failure, int attempt, RdsRateLimiter? limiter) =>
            PacedRequest.RetryDelay(policy, failure.IsThrottling, attempt, limiter);

        private async Task<XDocument> SendOnceAsync(string action, byte[] body, CancellationToken cancellationToken)
        {
            var credentials = await _options.Credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            var endpoint = _options.Endpoint;
            using (var message = BuildSignedRequest(endpoint, body, credentials))
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.RequestTimeout);
                HttpResponseMessage response;
                string text;
                try
                {
                    response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                    using (response)
                    {
                        text = await ReadBodyAsync(response.Content, attemptTimeout.Token).ConfigureAwait(false);
                        return Interpret(action, endpoint, (int)response.StatusCode, response.Content?.Headers?.ContentType?.ToString(), text);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The RDS " + action + " call was cancelled.", cancellationToken);
                }
                catch (OperationCanceledException e)
                {
                    throw new RdsApiException(action, RdsApiException.RequestTimeoutCode, "No answer within " + _options.RequestTimeout.TotalSeconds + " s from " + endpoint.Host + ".", 0, null, null, e);
                }
                // A reset during connect can escape HttpClient as a bare SocketException.
                catch (Exception e) when (e is HttpRequestException || e is IOException || e is SocketException)
                {
                    throw new RdsApiException(action, RdsApiException.NetworkErrorCode, "Could not reach " + endpoint.Host + ": " + Innermost(e).Message, 0, null, null, e);
                }
            }
        }

        private HttpRequestMessage BuildSignedRequest(Uri endpoint, byte[] body, AwsCredentialSet credentials) =>
            SigV4Signer.SignedPost(endpoint, body, FormContentType, new KeyValuePair<string, string>[0], credentials, _options.Region, "rds", _options.UtcNow(), _options.UserAgent);

        private static XDocument Interpret(string action, Uri endpoint, int status, string? contentType, string text)
        {
            XDocument? document = null;
            XmlException? malformed = null;
            try
            {
                if (!string.IsNullOrWhiteSpace(text) && !LooksLikeHtml(contentType, text)) document = RdsXml.Parse(text);
            }
            catch (XmlException e)
            {
                // Proxies, captive portals and load balancers answer with HTML or cut the body short; say so, never echo it.
                malformed = e;
            }

            if (status >= 200 && status < 300)
            {
                var root = document?.Root;
                if (root != null && root.Name.LocalName == action + "Response" && RdsXml.Child(root, action + "Result") != null) return document!;
                if (root != null && RdsResponseParser.TryReadError(document!, out var code200, out var message200, out var type200, out var requestId200))
                {
                    throw new RdsApiException(action, code200, message200, status, requestId200, type200);
                }

                throw RdsApiException.InvalidResponse(action, endpoint, status, contentType, DescribeBody(action, contentType, text, document, malformed), malformed);
            }

            if (document != null && RdsResponseParser.TryReadError(document, out var code, out var message, out var type, out var requestId))
            {
                throw new RdsApiException(action, code, message, status, requestId, type);
            }

            var fallbackCode = status == 429 ? "Throttling" : "HttpStatus" + status;
            throw new RdsApiException(action, fallbackCode,
                "Unexpected HTTP " + status + " answer from " + RdsApiException.EndpointText(endpoint) + ": " + DescribeBody(action, contentType, text, document, malformed) +
                " (content type " + (string.IsNullOrEmpty(contentType) ? "not given" : contentType) + ").",
                status, document == null ? null : RdsResponseParser.RequestId(document));
        }

        private static bool LooksLikeHtml(string? contentType, string text)
        {
            if (contentType != null && contentType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            var head = text.TrimStart();
            return head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>What the body was, in words; never its markup.</summary>
        private static string DescribeBody(string action, string? contentType, string text, XDocument? document, XmlException? malformed)
        {
            if (string.IsNullOrWhiteSpace(text)) return "an empty body";
            if (LooksLikeHtml(contentType, text)) return "an HTML page";
            if (malformed != null) return "a body that is not well-formed XML (" + text.Length + " characters; cut short or not XML at all)";
            var root = document?.Root;
            if (root == null) return "a body without an XML root element";
            return "XML whose root element is <" + root.Name.LocalName + "> rather than <" + action + "Response> with an <" + action + "Result>";
        }

        private static async Task<string> ReadBodyAsync(HttpContent? content, CancellationToken cancellationToken)
        {
            if (content == null) return string.Empty;
#if NET
            return await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
#else
            cancellationToken.ThrowIfCancellationRequested();
            return await content.ReadAsStringAsync().ConfigureAwait(false);
#endif
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private static void Require(string? value, string parameterName, string what)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("RDS needs " + what + ".", parameterName);
        }

        private static void ValidateParameters(IReadOnlyList<RdsParameter> parameters, string parameterName)
        {
            foreach (var p in parameters)
            {
                if (p == null || string.IsNullOrWhiteSpace(p.ParameterName)) throw new ArgumentException("Every parameter needs a ParameterName.", parameterName);
                if (p.ApplyMethod != null && p.ApplyMethod != RdsParameter.ApplyImmediate && p.ApplyMethod != RdsParameter.ApplyPendingReboot)
                {
                    throw new ArgumentException("ApplyMethod of '" + p.ParameterName + "' must be 'immediate' or 'pending-reboot', not '" + p.ApplyMethod + "'.", parameterName);
                }
            }
        }
    }
}
