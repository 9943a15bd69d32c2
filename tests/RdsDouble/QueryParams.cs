using System.Globalization;
using System.Text;

namespace RdsDouble;

/// <summary>The flat name/value pairs of a Query-protocol request, with helpers for its list encodings.</summary>
internal sealed class QueryParams
{
    private readonly Dictionary<string, string> _values;

    public QueryParams(Dictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> All => _values;

    /// <summary>Parses application/x-www-form-urlencoded text (also a query string without '?').</summary>
    public static void ParseInto(string text, Dictionary<string, string> into)
    {
        foreach (string piece in text.Split('&'))
        {
            if (piece.Length == 0) continue;
            int eq = piece.IndexOf('=');
            string k = Decode(eq < 0 ? piece : piece[..eq]);
            string v = eq < 0 ? "" : Decode(piece[(eq + 1)..]);
            into[k] = v;
        }
    }

    private static string Decode(string s)
    {
        s = s.Replace('+', ' ');
        if (!s.Contains('%')) return s;
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length
                && byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public string? Get(string name) => _values.TryGetValue(name, out string? v) ? v : null;

    public string Required(string name)
    {
        string? v = Get(name);
        if (string.IsNullOrEmpty(v)) throw RdsErrorException.MissingParameter(name);
        return v;
    }

    public bool? GetBool(string name)
    {
        string? v = Get(name);
        if (v is null) return null;
        if (string.Equals(v, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(v, "false", StringComparison.OrdinalIgnoreCase)) return false;
        throw RdsErrorException.InvalidParameterValue($"Invalid boolean value '{v}' for {name}.");
    }

    /// <summary>MaxRecords as RDS checks it: 20 to 100, default 100.</summary>
    public int MaxRecords()
    {
        string? v = Get("MaxRecords");
        if (v is null) return 100;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 20 || n > 100)
        {
            throw RdsErrorException.InvalidParameterValue($"Invalid value {v} for MaxRecords. Must be between 20 and 100");
        }
        return n;
    }

    /// <summary>The structures of a flattened list: "Prefix.1.Field", "Prefix.2.Field"… in index order.</summary>
    public List<Dictionary<string, string>> Structs(string prefix)
    {
        var byIndex = new SortedDictionary<int, Dictionary<string, string>>();
        string head = prefix + ".";
        foreach (KeyValuePair<string, string> kv in _values)
        {
            if (!kv.Key.StartsWith(head, StringComparison.Ordinal)) continue;
            string rest = kv.Key[head.Length..];
            int dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1) continue;
            if (!byIndex.TryGetValue(index, out Dictionary<string, string>? fields))
            {
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                byIndex[index] = fields;
            }
            fields[rest[(dot + 1)..]] = kv.Value;
        }
        return byIndex.Values.ToList();
    }

    /// <summary>A flattened list of scalars inside a structure's fields: "Values.Value.1", "Values.Value.2"…</summary>
    public static List<string> ScalarList(Dictionary<string, string> fields, string prefix)
    {
        string head = prefix + ".";
        return fields
            .Where(kv => kv.Key.StartsWith(head, StringComparison.Ordinal)
                         && int.TryParse(kv.Key.AsSpan(head.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(kv => int.Parse(kv.Key.AsSpan(head.Length), CultureInfo.InvariantCulture))
            .Select(kv => kv.Value)
            .ToList();
    }

    /// <summary>Filters.Filter.N.Name / Filters.Filter.N.Values.Value.M as name → values.</summary>
    public List<(string Name, List<string> Values)> Filters()
    {
        var result = new List<(string, List<string>)>();
        foreach (Dictionary<string, string> f in Structs("Filters.Filter"))
        {
            if (!f.TryGetValue("Name", out string? name) || name.Length == 0)
            {
                throw RdsErrorException.InvalidParameterValue("Filter name must be specified.");
            }
            List<string> values = ScalarList(f, "Values.Value");
            if (values.Count == 0) throw RdsErrorException.InvalidParameterValue($"Filter {name} requires at least one value.");
            result.Add((name, values));
        }
        return result;
    }
}
