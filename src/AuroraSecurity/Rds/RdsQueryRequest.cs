using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>The form of one Query-protocol call: Action, Version and members flattened by the model's location names.</summary>
    internal sealed class RdsQueryRequest
    {
        public const string ApiVersion = "2014-10-31";

        private readonly List<KeyValuePair<string, string>> _fields = new List<KeyValuePair<string, string>>();

        public RdsQueryRequest(string action)
        {
            Action = action;
            Add("Action", action);
            Add("Version", ApiVersion);
        }

        public string Action { get; }

        public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

        public RdsQueryRequest Add(string name, string? value)
        {
            if (value != null) _fields.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        public RdsQueryRequest Add(string name, bool? value) => value.HasValue ? Add(name, value.Value ? "true" : "false") : this;

        public RdsQueryRequest Add(string name, int? value) => value.HasValue ? Add(name, value.Value.ToString(CultureInfo.InvariantCulture)) : this;

        /// <summary>Adds <c>name.location.N.*</c> entries (1-based); an empty list is sent as <c>name=</c>.</summary>
        public RdsQueryRequest AddList<T>(string name, string? locationName, IReadOnlyCollection<T>? items, Action<RdsQueryRequest, string, T> addItem)
        {
            if (items == null) return this;
            if (items.Count == 0) return Add(name, string.Empty);
            var prefix = name + "." + (locationName ?? "member") + ".";
            var index = 1;
            foreach (var item in items)
            {
                addItem(this, prefix + index.ToString(CultureInfo.InvariantCulture), item);
                index++;
            }

            return this;
        }

        public RdsQueryRequest AddFilters(IEnumerable<RdsFilter>? filters)
        {
            var list = filters?.ToList();
            if (list == null || list.Count == 0) return this;
            return AddList("Filters", "Filter", list, (form, p, filter) =>
            {
                form.Add(p + ".Name", filter.Name);
                form.AddList(p + ".Values", "Value", filter.Values, (f, vp, value) => f.Add(vp, value));
            });
        }

        public RdsQueryRequest AddParameters(IReadOnlyCollection<RdsParameter>? parameters) =>
            AddList("Parameters", "Parameter", parameters, (form, p, parameter) =>
            {
                form.Add(p + ".ParameterName", parameter.ParameterName);
                form.Add(p + ".ParameterValue", parameter.ParameterValue);
                form.Add(p + ".ApplyMethod", parameter.ApplyMethod);
            });

        /// <summary>A copy with the paging members set, for the next page of a Describe call.</summary>
        public RdsQueryRequest WithPaging(int maxRecords, string? marker)
        {
            var copy = new RdsQueryRequest(Action);
            copy._fields.Clear();
            copy._fields.AddRange(_fields.Where(f => f.Key != "MaxRecords" && f.Key != "Marker"));
            copy.Add("MaxRecords", maxRecords);
            copy.Add("Marker", marker);
            return copy;
        }

        /// <summary>application/x-www-form-urlencoded body with RFC 3986 escaping.</summary>
        public string ToFormBody() =>
            string.Join("&", _fields.Select(f => SigV4Signer.UriEncode(f.Key) + "=" + SigV4Signer.UriEncode(f.Value)));
    }
}
