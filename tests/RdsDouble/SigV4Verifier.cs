using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RdsDouble;

/// <summary>What the verifier needs from a received request.</summary>
internal sealed class SignedRequest
{
    public string Method { get; init; } = "POST";
    /// <summary>The path as received, still percent-encoded.</summary>
    public string RawPath { get; init; } = "/";
    /// <summary>The query string as received, without '?', still percent-encoded.</summary>
    public string RawQuery { get; init; } = "";
    /// <summary>Header name (any case) to the values received.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>();
    public byte[] Body { get; init; } = Array.Empty<byte>();
}

/// <summary>Checks AWS Signature Version 4 (Authorization header form) for one service and region.</summary>
internal sealed class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private readonly KeyRing _keys;
    private readonly Func<string, bool> _regionServed;
    private readonly TimeSpan _maxSkew;

    public SigV4Verifier(KeyRing keys, Func<string, bool> regionServed, TimeSpan maxSkew)
    {
        _keys = keys;
        _regionServed = regionServed;
        _maxSkew = maxSkew;
    }

    /// <summary>
    /// Throws an <see cref="RdsErrorException"/> when the request is not correctly signed for <paramref name="service"/> with a key
    /// the double issued (and its session token, for temporary keys); returns that key and the region of the signature.
    /// </summary>
    public (DoubleKey Key, string Region) Verify(SignedRequest request, DateTimeOffset now, string service)
    {
        string? authorization = Header(request, "authorization");
        if (authorization is null)
        {
            throw new RdsErrorException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw new RdsErrorException(400, "IncompleteSignature", $"Unsupported AWS 'algorithm': '{authorization.Split(' ')[0]}'");
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string piece in authorization[(Algorithm.Length + 1)..].Split(','))
        {
            string p = piece.Trim();
            int eq = p.IndexOf('=');
            if (eq > 0) parts[p[..eq]] = p[(eq + 1)..];
        }
        var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(k => !parts.ContainsKey(k)).ToList();
        string? amzDate = Header(request, "x-amz-date");
        if (amzDate is null) missing.Add("X-Amz-Date");
        if (missing.Count > 0)
        {
            throw new RdsErrorException(400, "IncompleteSignature",
                $"Authorization header requires {string.Join(", ", missing.Select(m => "'" + m + "'"))} parameter(s). Authorization={authorization}");
        }

        string[] credential = parts["Credential"].Split('/');
        if (credential.Length != 5)
        {
            throw new RdsErrorException(400, "IncompleteSignature", $"Credential should be scoped to a valid region. Credential={parts["Credential"]}");
        }
        string accessKey = credential[0], scopeDate = credential[1], scopeRegion = credential[2], scopeService = credential[3], terminator = credential[4];
        DoubleKey? known = _keys.Find(accessKey);
        if (known is null)
        {
            throw new RdsErrorException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (known.SessionToken is not null && !string.Equals(Header(request, "x-amz-security-token"), known.SessionToken, StringComparison.Ordinal))
        {
            throw new RdsErrorException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        if (known.Expires is DateTimeOffset expires && expires <= now)
        {
            throw new RdsErrorException(403, "ExpiredToken", "The security token included in the request is expired");
        }
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset signedAt))
        {
            throw new RdsErrorException(400, "IncompleteSignature", $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'.");
        }
        if ((now - signedAt).Duration() > _maxSkew)
        {
            string f(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            throw new RdsErrorException(403, "SignatureDoesNotMatch",
                $"Signature expired: {amzDate} is now earlier than {f(now - _maxSkew)} ({f(now)} - {(int)_maxSkew.TotalMinutes} min.)");
        }
        if (scopeDate != amzDate![..8])
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}'");
        }
        if (!_regionServed(scopeRegion))
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", $"Credential should be scoped to a valid region, not '{scopeRegion}'.");
        }
        if (scopeService != service)
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'.");
        }
        if (terminator != "aws4_request")
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", "Credential should be scoped with a valid terminator: 'aws4_request'.");
        }

        string[] signedHeaders = parts["SignedHeaders"].Split(';');
        if (!signedHeaders.Contains("host"))
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (Header(request, "x-amz-security-token") is not null && !signedHeaders.Contains("x-amz-security-token"))
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch", "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
        }

        string actualBodyHash = Hex(SHA256.HashData(request.Body));
        string payloadHash = actualBodyHash;
        string? declared = Header(request, "x-amz-content-sha256");
        if (declared is not null)
        {
            if (declared != "UNSIGNED-PAYLOAD" && !string.Equals(declared, actualBodyHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new RdsErrorException(403, "SignatureDoesNotMatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            payloadHash = declared;
        }

        string canonicalRequest = string.Join('\n',
            request.Method,
            CanonicalPath(request.RawPath),
            CanonicalQuery(request.RawQuery),
            string.Concat(signedHeaders.Select(h => h + ":" + CanonicalHeaderValue(request, h) + "\n")),
            parts["SignedHeaders"],
            payloadHash);
        string scope = $"{scopeDate}/{scopeRegion}/{scopeService}/aws4_request";
        string stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        byte[] key = Hmac(Encoding.UTF8.GetBytes("AWS4" + known.SecretKey), scopeDate);
        key = Hmac(key, scopeRegion);
        key = Hmac(key, scopeService);
        key = Hmac(key, "aws4_request");
        string expected = Hex(Hmac(key, stringToSign));

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["Signature"])))
        {
            throw new RdsErrorException(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
                "Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'" + canonicalRequest +
                "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n");
        }
        return (known, scopeRegion);
    }

    private static string? Header(SignedRequest r, string name)
    {
        foreach (KeyValuePair<string, string[]> h in r.Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return string.Join(',', h.Value);
        }
        return null;
    }

    private static string CanonicalHeaderValue(SignedRequest r, string name)
    {
        foreach (KeyValuePair<string, string[]> h in r.Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(',', h.Value.Select(CollapseSpaces));
            }
        }
        return "";
    }

    private static string CollapseSpaces(string v)
    {
        var sb = new StringBuilder(v.Length);
        bool space = false;
        foreach (char c in v.Trim())
        {
            if (c == ' ' || c == '\t')
            {
                if (!space) sb.Append(' ');
                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }
        return sb.ToString();
    }

    private static string CanonicalPath(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath)) return "/";
        // Non-S3 services: normalise the path, then encode every segment once.
        var segments = new List<string>();
        foreach (string seg in rawPath.Split('/'))
        {
            string decoded = Uri.UnescapeDataString(seg);
            if (decoded is "" or ".") continue;
            if (decoded == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(UriEncode(decoded));
        }
        string path = "/" + string.Join('/', segments);
        if (rawPath.EndsWith('/') && segments.Count > 0) path += "/";
        return path;
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery)) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (string piece in rawQuery.Split('&'))
        {
            if (piece.Length == 0) continue;
            int eq = piece.IndexOf('=');
            string k = eq < 0 ? piece : piece[..eq];
            string v = eq < 0 ? "" : piece[(eq + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(k)), UriEncode(Uri.UnescapeDataString(v))));
        }
        pairs.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding with only the unreserved characters left as they are.</summary>
    internal static string UriEncode(string s)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c is '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
