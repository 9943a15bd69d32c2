using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Ec2
{
    /// <summary>A VPC security group and its inbound rules, as DescribeSecurityGroups returns them.</summary>
    public sealed class Ec2SecurityGroup
    {
        public string GroupId { get; set; } = string.Empty;
        public string? GroupName { get; set; }
        public string? VpcId { get; set; }
        public IReadOnlyList<Ec2IngressRule> IngressRules { get; set; } = new Ec2IngressRule[0];

        public override string ToString() => GroupName == null ? GroupId : GroupId + " (" + GroupName + ")";
    }

    /// <summary>One inbound permission: protocol, port range and the address ranges it admits.</summary>
    public sealed class Ec2IngressRule
    {
        public const string AllProtocols = "-1";

        /// <summary>tcp, udp, icmp, a protocol number, or -1 for all traffic.</summary>
        public string? IpProtocol { get; set; }

        /// <summary>Null when the rule covers every port (all traffic) or when EC2 left it out.</summary>
        public int? FromPort { get; set; }

        public int? ToPort { get; set; }

        public IReadOnlyList<string> Ipv4Ranges { get; set; } = new string[0];

        public IReadOnlyList<string> Ipv6Ranges { get; set; } = new string[0];

        /// <summary>True when the rule admits TCP traffic to <paramref name="port"/>; null when the rule does not say enough to tell.</summary>
        public bool? AdmitsTcpPort(int port)
        {
            if (IpProtocol == AllProtocols) return true;
            if (IpProtocol == null) return null;
            if (IpProtocol != "tcp" && IpProtocol != "6") return false;
            if (FromPort == null || ToPort == null) return null;
            // EC2 answers -1 for "all ports" of a protocol.
            if (FromPort == -1 || ToPort == -1) return true;
            return FromPort <= port && port <= ToPort;
        }

        /// <summary>The ranges that stand for the whole internet (0.0.0.0/0, ::/0) among those the rule admits.</summary>
        public IReadOnlyList<string> InternetRanges() =>
            Ipv4Ranges.Where(r => r.Trim() == "0.0.0.0/0").Concat(Ipv6Ranges.Where(r => r.Trim() == "::/0")).ToList();

        /// <summary>The rule's ranges that lie in none of <paramref name="allowed"/> (a range that cannot be read lies in none).</summary>
        public IReadOnlyList<string> RangesOutside(IReadOnlyList<CidrBlock> allowed) =>
            Ipv4Ranges.Concat(Ipv6Ranges)
                .Where(r => !(CidrBlock.TryParse(r, out var block, out _) && allowed.Any(a => a.Contains(block!))))
                .ToList();

        public override string ToString()
        {
            var ports = IpProtocol == AllProtocols ? "all traffic" : FromPort == ToPort ? $"{IpProtocol} {FromPort}" : $"{IpProtocol} {FromPort}-{ToPort}";
            return ports + " from " + string.Join(", ", Ipv4Ranges.Concat(Ipv6Ranges));
        }
    }
}
