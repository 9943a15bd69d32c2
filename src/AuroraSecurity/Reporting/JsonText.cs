using System;
using System.Collections;
using System.Globalization;
using System.Text;

namespace AuroraSecurity.Reporting
{
    /// <summary>Writes JSON from dictionaries (key order kept), lists, strings, numbers, booleans and UTC times; no dependency on a JSON library.</summary>
    public static class JsonText
    {
        /// <summary>The JSON text of a value; <paramref name="indent"/> pretty-prints with two spaces.</summary>
        public static string Write(object? value, bool indent = false)
        {
            var text = new StringBuilder();
            Append(text, value, indent, 0);
            return text.ToString();
        }

        /// <summary>A JSON string literal, escaped so it is safe inside an HTML script block too.</summary>
        public static string Quote(string value)
        {
            var text = new StringBuilder(value.Length + 2);
            AppendString(text, value);
            return text.ToString();
        }

        private static void Append(StringBuilder text, object? value, bool indent, int depth)
        {
            switch (value)
            {
                case null:
                    text.Append("null");
                    break;
                case string s:
                    AppendString(text, s);
                    break;
                case bool b:
                    text.Append(b ? "true" : "false");
                    break;
                case DateTime time:
                    AppendString(text, FormatTime(time));
                    break;
                case DateTimeOffset moment:
                    AppendString(text, FormatTime(moment));
                    break;
                case Enum e:
                    AppendString(text, e.ToString());
                    break;
                case int _:
                case long _:
                case short _:
                case byte _:
                case uint _:
                case ulong _:
                    text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                case double d:
                    text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case decimal m:
                    text.Append(m.ToString(CultureInfo.InvariantCulture));
                    break;
                case IDictionary map:
                    AppendObject(text, map, indent, depth);
                    break;
                case IEnumerable list:
                    AppendArray(text, list, indent, depth);
                    break;
                default:
                    AppendString(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }
        }

        /// <summary>ISO 8601 in UTC with milliseconds ("2026-11-29T23:00:00.000Z"), the form Security Hub documents.</summary>
        public static string FormatTime(DateTimeOffset time) => FormatTime(time.UtcDateTime);

        /// <summary>A time as ISO 8601 in UTC with milliseconds; an unspecified kind is taken as UTC.</summary>
        public static string FormatTime(DateTime time)
        {
            var utc = time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        private static void AppendObject(StringBuilder text, IDictionary map, bool indent, int depth)
        {
            text.Append('{');
            var first = true;
            foreach (DictionaryEntry entry in map)
            {
                if (!first) text.Append(',');
                first = false;
                NewLine(text, indent, depth + 1);
                AppendString(text, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                text.Append(indent ? ": " : ":");
                Append(text, entry.Value, indent, depth + 1);
            }

            if (!first) NewLine(text, indent, depth);
            text.Append('}');
        }

        private static void AppendArray(StringBuilder text, IEnumerable list, bool indent, int depth)
        {
            text.Append('[');
            var first = true;
            foreach (var item in list)
            {
                if (!first) text.Append(',');
                first = false;
                NewLine(text, indent, depth + 1);
                Append(text, item, indent, depth + 1);
            }

            if (!first) NewLine(text, indent, depth);
            text.Append(']');
        }

        private static void NewLine(StringBuilder text, bool indent, int depth)
        {
            if (!indent) return;
            text.Append('\n').Append(' ', depth * 2);
        }

        private static void AppendString(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    // Escaped so the text can sit in an HTML <script> block without closing it or opening a comment.
                    case '<':
                    case '>':
                    case '&':
                    case '\'':
                    case '\u2028':
                    case '\u2029':
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default:
                        if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }

            text.Append('"');
        }
    }
}
