using System.Globalization;
using System.Text;
using System.Xml;

namespace RdsDouble;

/// <summary>Writes Query-protocol XML answers.</summary>
internal sealed class XmlOut : IDisposable
{
    public const string Namespace = "http://rds.amazonaws.com/doc/2014-10-31/";
    private readonly StringBuilder _sb = new();
    private readonly XmlWriter _w;

    public XmlOut()
    {
        _w = XmlWriter.Create(_sb, new XmlWriterSettings { OmitXmlDeclaration = false, Indent = false, Encoding = Encoding.UTF8 });
    }

    public static string Success(string action, string requestId, Action<XmlOut> body)
    {
        using var x = new XmlOut();
        x._w.WriteStartDocument();
        x._w.WriteStartElement(action + "Response", Namespace);
        x._w.WriteStartElement(action + "Result", Namespace);
        body(x);
        x._w.WriteEndElement();
        x._w.WriteStartElement("ResponseMetadata", Namespace);
        x._w.WriteElementString("RequestId", Namespace, requestId);
        x._w.WriteEndElement();
        x._w.WriteEndElement();
        x._w.WriteEndDocument();
        return x.Finish();
    }

    public static string Error(bool sender, string code, string message, string requestId)
    {
        using var x = new XmlOut();
        x._w.WriteStartDocument();
        x._w.WriteStartElement("ErrorResponse", Namespace);
        x._w.WriteStartElement("Error", Namespace);
        x._w.WriteElementString("Type", Namespace, sender ? "Sender" : "Receiver");
        x._w.WriteElementString("Code", Namespace, code);
        x._w.WriteElementString("Message", Namespace, message);
        x._w.WriteEndElement();
        x._w.WriteElementString("RequestId", Namespace, requestId);
        x._w.WriteEndElement();
        x._w.WriteEndDocument();
        return x.Finish();
    }

    private string Finish()
    {
        _w.Flush();
        // StringBuilder output claims utf-16 in the declaration; answers are sent as UTF-8.
        return _sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }

    public void Dispose() => _w.Dispose();

    public void Str(string name, string? value)
    {
        if (value is null) return;
        _w.WriteElementString(name, Namespace, value);
    }

    public void Bool(string name, bool? value)
    {
        if (value is null) return;
        Str(name, value.Value ? "true" : "false");
    }

    public void Int(string name, long? value)
    {
        if (value is null) return;
        Str(name, value.Value.ToString(CultureInfo.InvariantCulture));
    }

    public void Time(string name, DateTimeOffset? value)
    {
        if (value is null) return;
        Str(name, value.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    public void Element(string name, Action body)
    {
        _w.WriteStartElement(name, Namespace);
        body();
        _w.WriteEndElement();
    }

    /// <summary>A list: wrapper element named after the member, one child per item named after the member's location name ("member" when the model gives none).</summary>
    public void List<T>(string name, string itemName, IEnumerable<T> items, Action<T> writeItem)
    {
        _w.WriteStartElement(name, Namespace);
        foreach (T item in items)
        {
            _w.WriteStartElement(itemName, Namespace);
            writeItem(item);
            _w.WriteEndElement();
        }
        _w.WriteEndElement();
    }

    public void StringList(string name, string itemName, IEnumerable<string> items)
    {
        _w.WriteStartElement(name, Namespace);
        foreach (string item in items) _w.WriteElementString(itemName, Namespace, item);
        _w.WriteEndElement();
    }
}
