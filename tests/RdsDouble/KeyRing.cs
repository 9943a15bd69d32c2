using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RdsDouble;

/// <summary>An access key the double accepts: long-term (no token) or issued by its STS, SSO or metadata endpoints.</summary>
public sealed class DoubleKey
{
    public string AccessKeyId { get; init; } = "";
    public string SecretKey { get; init; } = "";
    /// <summary>Required with the key when set (temporary credentials).</summary>
    public string? SessionToken { get; init; }
    public string AccountId { get; init; } = "";
    /// <summary>The principal: arn:aws:iam::ACCOUNT:user/NAME or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.</summary>
    public string PrincipalArn { get; init; } = "";
    public DateTimeOffset? Expires { get; init; }
    /// <summary>How the key came to be: "static", "AssumeRole", "AssumeRoleWithWebIdentity", "GetRoleCredentials", "container", "instance".</summary>
    public string IssuedBy { get; init; } = "static";
}

/// <summary>Every key the double accepts, and the issuing of temporary ones.</summary>
public sealed class KeyRing
{
    private readonly ConcurrentDictionary<string, DoubleKey> _keys = new(StringComparer.Ordinal);
    private int _issued;

    public void Add(DoubleKey key) => _keys[key.AccessKeyId] = key;

    public DoubleKey? Find(string accessKeyId) => _keys.TryGetValue(accessKeyId, out DoubleKey? key) ? key : null;

    /// <summary>Every key issued so far, in no particular order.</summary>
    public IReadOnlyList<DoubleKey> All => _keys.Values.ToList();

    /// <summary>How many temporary keys have been issued.</summary>
    public int IssuedCount => Volatile.Read(ref _issued);

    public DoubleKey Issue(string accountId, string principalArn, TimeSpan lifetime, string issuedBy)
    {
        int n = Interlocked.Increment(ref _issued);
        var key = new DoubleKey
        {
            AccessKeyId = "ASIADOUBLE" + n.ToString("D10", System.Globalization.CultureInfo.InvariantCulture),
            SecretKey = Random(30),
            SessionToken = "double-session/" + Random(48),
            AccountId = accountId,
            PrincipalArn = principalArn,
            Expires = DateTimeOffset.UtcNow + lifetime,
            IssuedBy = issuedBy,
        };
        Add(key);
        return key;
    }

    private static string Random(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
}
