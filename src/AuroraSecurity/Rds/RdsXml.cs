using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace AuroraSecurity.Rds
{
    /// <summary>Order-tolerant reading of Query-protocol XML by element local names.</summary>
    internal static class RdsXml
    {
        public const string Namespace = "http://rds.amazonaws.com/doc/2014-10-31/";

        public static XDocument Parse(string xml) => XDocument.Parse(xml, LoadOptions.None);

        /// <summary>The &lt;ActionResult&gt; element of a successful answer.</summary>
        public static XElement Result(XDocument document, string action)
        {
            var root = document.Root ?? throw new FormatException("The RDS answer was empty.");
            return Child(root, action + "Result")
                ?? throw new FormatException("The RDS answer to " + action + " has no " + action + "Result element (root was " + root.Name.LocalName + ").");
        }

        public static XElement? Child(XElement? parent, string localName) =>
            parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

        public static string? Text(XElement? parent, string localName)
        {
            var e = Child(parent, localName);
            return e == null ? null : e.Value;
        }

        public static string? NonEmptyText(XElement? parent, string localName)
        {
            var value = Text(parent, localName);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public static bool? BoolOrNull(XElement? parent, string localName)
        {
            var value = Text(parent, localName)?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            return string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }

        public static int? Int(XElement? parent, string localName)
        {
            var value = Text(parent, localName)?.Trim();
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        }

        /// <summary>ISO 8601 timestamps as UTC.</summary>
        public static DateTime? Date(XElement? parent, string localName)
        {
            var value = Text(parent, localName)?.Trim();
            if (string.IsNullOrEmpty(value)) return null;
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? d.UtcDateTime
                : (DateTime?)null;
        }

        /// <summary>Items of a list member: &lt;wrapper&gt;&lt;item/&gt;…&lt;/wrapper&gt; where item is the model's location name (or member).</summary>
        public static IEnumerable<XElement> List(XElement? parent, string wrapper, string? itemLocationName)
        {
            var list = Child(parent, wrapper);
            if (list == null) return Enumerable.Empty<XElement>();
            var item = itemLocationName ?? "member";
            return list.Elements().Where(e => e.Name.LocalName == item);
        }
    }
}
