using System.Globalization;
using System.Text;
using System.Xml;

namespace RdsDouble;

/// <summary>The EC2 Query API (2016-11-15) operation the audit uses, DescribeSecurityGroups, in EC2's own XML namespace.</summary>
internal sealed class Ec2Operations
{
    public const string ApiVersion = "2016-11-15";
    public const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly RdsState _state;

    public Ec2Operations(RdsState state) => _state = state;

    public string Handle(string action, QueryParams p, string requestId)
    {
        lock (_state.SyncRoot)
        {
            return action switch
            {
                "DescribeSecurityGroups" => DescribeSecurityGroups(p, requestId),
                _ => throw new RdsErrorException(400, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
        }
    }

    /// <summary>EC2's error document: Response/Errors/Error with Code and Message, then RequestID.</summary>
    public static string Error(string code, string message, string requestId)
    {
        var sb = new StringBuilder();
        using (XmlWriter w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("Response");
            w.WriteStartElement("Errors");
            w.WriteStartElement("Error");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("RequestID", requestId);
            w.WriteEndElement();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + sb;
    }

    /// <summary>EC2 names the wire codes differently from RDS.</summary>
    public static (int Status, string Code) Translate(RdsErrorException e) => e.Code switch
    {
        "Throttling" => (503, "RequestLimitExceeded"),
        "InternalFailure" => (500, "InternalError"),
        "InvalidParameterValue" => (400, "InvalidParameterValue"),
        _ => (e.StatusCode, e.Code),
    };

    private string DescribeSecurityGroups(QueryParams p, string requestId)
    {
        IEnumerable<SecurityGroupState> groups = _state.SecurityGroups;
        List<string> ids = p.All.Where(kv => kv.Key.StartsWith("GroupId.", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        if (ids.Count > 0)
        {
            foreach (string id in ids)
            {
                if (!_state.SecurityGroups.Any(g => g.Id == id))
                {
                    throw new RdsErrorException(400, "InvalidGroup.NotFound", $"The security group '{id}' does not exist");
                }
            }
            groups = groups.Where(g => ids.Contains(g.Id, StringComparer.Ordinal));
        }
        foreach (Dictionary<string, string> f in p.Structs("Filter"))
        {
            string name = f.TryGetValue("Name", out string? n) ? n : throw RdsErrorException.InvalidParameterValue("The filter name must be specified.");
            List<string> values = QueryParams.ScalarList(f, "Value");
            groups = name switch
            {
                "group-id" => groups.Where(g => values.Contains(g.Id, StringComparer.Ordinal)).ToList(),
                "group-name" => groups.Where(g => values.Contains(g.Name, StringComparer.Ordinal)).ToList(),
                "vpc-id" => groups.Where(g => values.Contains(g.VpcId, StringComparer.Ordinal)).ToList(),
                _ => throw RdsErrorException.InvalidParameterValue($"The filter '{name}' is invalid"),
            };
        }

        int max = 1000;
        if (p.Get("MaxResults") is string m)
        {
            if (ids.Count > 0) throw RdsErrorException.InvalidParameterValue("The parameter groupIds cannot be used with the parameter maxResults");
            if (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 5 || max > 1000)
            {
                throw RdsErrorException.InvalidParameterValue($"Value ( {m} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
            }
        }
        List<SecurityGroupState> all = groups.OrderBy(g => g.Id, StringComparer.Ordinal).ToList();
        int start = 0;
        if (p.Get("NextToken") is string token && token.Length > 0)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException)
            {
                throw RdsErrorException.InvalidParameterValue($"Invalid NextToken: {token}");
            }
            if (!decoded.StartsWith("sg:", StringComparison.Ordinal) || !int.TryParse(decoded.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count)
            {
                throw RdsErrorException.InvalidParameterValue($"Invalid NextToken: {token}");
            }
        }
        List<SecurityGroupState> page = all.Skip(start).Take(max).ToList();
        string? next = start + page.Count < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"sg:{start + page.Count}")) : null;

        var sb = new StringBuilder();
        using (XmlWriter w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("DescribeSecurityGroupsResponse", Namespace);
            w.WriteElementString("requestId", Namespace, requestId);
            w.WriteStartElement("securityGroupInfo", Namespace);
            foreach (SecurityGroupState g in page)
            {
                w.WriteStartElement("item", Namespace);
                w.WriteElementString("ownerId", Namespace, _state.AccountId);
                w.WriteElementString("groupId", Namespace, g.Id);
                w.WriteElementString("groupName", Namespace, g.Name);
                w.WriteElementString("groupDescription", Namespace, g.Description);
                w.WriteElementString("vpcId", Namespace, g.VpcId);
                w.WriteStartElement("ipPermissions", Namespace);
                foreach (SecurityGroupRuleState r in g.Ingress)
                {
                    w.WriteStartElement("item", Namespace);
                    w.WriteElementString("ipProtocol", Namespace, r.Protocol);
                    if (r.FromPort is int from) w.WriteElementString("fromPort", Namespace, from.ToString(CultureInfo.InvariantCulture));
                    if (r.ToPort is int to) w.WriteElementString("toPort", Namespace, to.ToString(CultureInfo.InvariantCulture));
                    WriteItems(w, "groups", r.SourceGroups, source =>
                    {
                        w.WriteElementString("userId", Namespace, _state.AccountId);
                        w.WriteElementString("groupId", Namespace, source);
                    });
                    WriteItems(w, "ipRanges", r.Cidrs, cidr => w.WriteElementString("cidrIp", Namespace, cidr));
                    WriteItems(w, "ipv6Ranges", r.Ipv6Cidrs, cidr => w.WriteElementString("cidrIpv6", Namespace, cidr));
                    w.WriteStartElement("prefixListIds", Namespace);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteStartElement("ipPermissionsEgress", Namespace);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            if (next is not null) w.WriteElementString("nextToken", Namespace, next);
            w.WriteEndElement();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + sb;
    }

    // An EC2 list: <name><item>…</item>…</name>, one item per element.
    private static void WriteItems<T>(XmlWriter w, string name, IEnumerable<T> items, Action<T> writeItem)
    {
        w.WriteStartElement(name, Namespace);
        foreach (T item in items)
        {
            w.WriteStartElement("item", Namespace);
            writeItem(item);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
