using System;
using System.Collections.Generic;
using System.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>A Describe* filter: a name and the values that match (e.g. engine = aurora-mysql).</summary>
    public sealed class RdsFilter
    {
        public RdsFilter(string name, params string[] values)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A filter needs a name.", nameof(name));
            Name = name;
            Values = (values ?? new string[0]).ToArray();
        }

        public string Name { get; }

        public IReadOnlyList<string> Values { get; }

        public override string ToString() => Name + "=" + string.Join(",", Values);
    }
}
