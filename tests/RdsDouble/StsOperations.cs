using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace RdsDouble;

/// <summary>What the STS double allows: roles that cannot be assumed, external ids, the web identity token, credential lifetime.</summary>
public sealed class StsSettings
{
    /// <summary>Role ARNs whose trust policy refuses everyone (AccessDenied).</summary>
    public HashSet<string> DeniedRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Role ARN to the external id its trust policy requires.</summary>
    public Dictionary<string, string> ExternalIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Role ARN to the MFA device serial its trust policy requires (TokenCode "123456" is accepted).</summary>
    public Dictionary<string, string> MfaSerials { get; } = new(StringComparer.Ordinal);

    /// <summary>The only web identity token AssumeRoleWithWebIdentity accepts.</summary>
    public string WebIdentityToken { get; set; } = "double-web-identity-token";

    /// <summary>The only bearer token the SSO portal accepts.</summary>
    public string SsoAccessToken { get; set; } = "double-sso-access-token";

    /// <summary>When set, issued credentials expire after this long whatever DurationSeconds asked for (to test refreshing).</summary>
    public TimeSpan? LifetimeOverride { get; set; }
}

/// <summary>AWS STS (2011-06-15) Query operations: AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity.</summary>
internal sealed class StsOperations
{
    public const string Version = "2011-06-15";
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static readonly Regex RoleArn = new(@"^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,64})$", RegexOptions.CultureInvariant);
    private static readonly Regex SessionName = new(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant);

    private readonly KeyRing _keys;
    private readonly StsSettings _settings;

    public StsOperations(KeyRing keys, StsSettings settings)
    {
        _keys = keys;
        _settings = settings;
    }

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { "AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity" };

    /// <summary>True for the operations that are not signed (the token is the proof).</summary>
    public static bool IsUnsigned(string action) => action == "AssumeRoleWithWebIdentity";

    public string Handle(string action, QueryParams p, DoubleKey? caller, string requestId) => action switch
    {
        "AssumeRole" => AssumeRole(p, caller!, requestId),
        "AssumeRoleWithWebIdentity" => AssumeRoleWithWebIdentity(p, requestId),
        "GetCallerIdentity" => Success("GetCallerIdentity", requestId, w =>
        {
            w.WriteElementString("Arn", Namespace, caller!.PrincipalArn);
            w.WriteElementString("UserId", Namespace, "AIDADOUBLE:" + caller.AccessKeyId[^4..]);
            w.WriteElementString("Account", Namespace, caller.AccountId);
        }),
        _ => throw new RdsErrorException(400, "InvalidAction", $"Could not find operation {action} for version {Version}"),
    };

    public static string Error(string code, string message, string requestId)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Encoding = Encoding.UTF8 }))
        {
            w.WriteStartElement("ErrorResponse", Namespace);
            w.WriteStartElement("Error", Namespace);
            w.WriteElementString("Type", Namespace, "Sender");
            w.WriteElementString("Code", Namespace, code);
            w.WriteElementString("Message", Namespace, message);
            w.WriteEndElement();
            w.WriteElementString("RequestId", Namespace, requestId);
            w.WriteEndElement();
        }
        return sb.ToString();
    }

    private string AssumeRole(QueryParams p, DoubleKey caller, string requestId)
    {
        var (roleArn, account, roleName, session, lifetime) = CommonRoleParameters(p);
        if (_settings.ExternalIds.TryGetValue(roleArn, out string? externalId) && p.Get("ExternalId") != externalId)
        {
            throw new RdsErrorException(403, "AccessDenied", $"User: {caller.PrincipalArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }
        if (_settings.MfaSerials.TryGetValue(roleArn, out string? serial) && (p.Get("SerialNumber") != serial || p.Get("TokenCode") != "123456"))
        {
            throw new RdsErrorException(403, "AccessDenied", $"MultiFactorAuthentication failed with invalid MFA one time pass code.");
        }
        if (_settings.DeniedRoles.Contains(roleArn))
        {
            throw new RdsErrorException(403, "AccessDenied", $"User: {caller.PrincipalArn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }
        return Issue("AssumeRole", account, roleName, session, lifetime, requestId);
    }

    private string AssumeRoleWithWebIdentity(QueryParams p, string requestId)
    {
        var (roleArn, account, roleName, session, lifetime) = CommonRoleParameters(p);
        string? token = p.Get("WebIdentityToken");
        if (string.IsNullOrEmpty(token)) throw RdsErrorException.MissingParameter("WebIdentityToken");
        if (token != _settings.WebIdentityToken) throw new RdsErrorException(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS.");
        if (_settings.DeniedRoles.Contains(roleArn)) throw new RdsErrorException(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        return Issue("AssumeRoleWithWebIdentity", account, roleName, session, lifetime, requestId);
    }

    private (string RoleArn, string Account, string RoleName, string Session, TimeSpan Lifetime) CommonRoleParameters(QueryParams p)
    {
        string roleArn = p.Get("RoleArn") ?? throw RdsErrorException.MissingParameter("RoleArn");
        string session = p.Get("RoleSessionName") ?? throw RdsErrorException.MissingParameter("RoleSessionName");
        Match m = RoleArn.Match(roleArn);
        if (!m.Success) throw new RdsErrorException(400, "ValidationError", $"{roleArn} is invalid");
        if (!SessionName.IsMatch(session)) throw new RdsErrorException(400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
        int seconds = 3600;
        string? duration = p.Get("DurationSeconds");
        if (duration is not null)
        {
            if (!int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds < 900 || seconds > 43200)
            {
                throw new RdsErrorException(400, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
            }
        }
        TimeSpan lifetime = _settings.LifetimeOverride ?? TimeSpan.FromSeconds(seconds);
        return (roleArn, m.Groups[2].Value, m.Groups[3].Value, session, lifetime);
    }

    private string Issue(string action, string account, string roleName, string session, TimeSpan lifetime, string requestId)
    {
        string principal = $"arn:aws:sts::{account}:assumed-role/{roleName}/{session}";
        DoubleKey key = _keys.Issue(account, principal, lifetime, action);
        return Success(action, requestId, w =>
        {
            w.WriteStartElement("Credentials", Namespace);
            w.WriteElementString("AccessKeyId", Namespace, key.AccessKeyId);
            w.WriteElementString("SecretAccessKey", Namespace, key.SecretKey);
            w.WriteElementString("SessionToken", Namespace, key.SessionToken);
            w.WriteElementString("Expiration", Namespace, key.Expires!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteStartElement("AssumedRoleUser", Namespace);
            w.WriteElementString("AssumedRoleId", Namespace, "AROADOUBLE:" + session);
            w.WriteElementString("Arn", Namespace, principal);
            w.WriteEndElement();
            if (action == "AssumeRoleWithWebIdentity") w.WriteElementString("SubjectFromWebIdentityToken", Namespace, "system:serviceaccount:double");
        });
    }

    private static string Success(string action, string requestId, Action<XmlWriter> body)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Encoding = Encoding.UTF8 }))
        {
            w.WriteStartElement(action + "Response", Namespace);
            w.WriteStartElement(action + "Result", Namespace);
            body(w);
            w.WriteEndElement();
            w.WriteStartElement("ResponseMetadata", Namespace);
            w.WriteElementString("RequestId", Namespace, requestId);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return sb.ToString();
    }
}
