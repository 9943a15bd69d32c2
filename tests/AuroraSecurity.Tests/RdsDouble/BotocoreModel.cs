using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using AuroraSecurity.Tests.Infrastructure;

namespace AuroraSecurity.Tests.RdsDoubleTests
{
    /// <summary>
    /// The RDS service model shipped with botocore (the aws CLI's library), used to check answers element by element:
    /// botocore's own parser ignores the names of list items, so the CLI alone cannot catch a wrong location name.
    /// </summary>
    internal sealed class BotocoreModel
    {
        private static readonly Lazy<BotocoreModel> Instance = new(Load);
        private readonly JsonElement _operations;
        private readonly JsonElement _shapes;

        private BotocoreModel(JsonElement root)
        {
            _operations = root.GetProperty("operations");
            _shapes = root.GetProperty("shapes");
        }

        public static BotocoreModel Rds => Instance.Value;

        private static BotocoreModel Load()
        {
            Needs.Require(Needs.AwsCli);
            string? dir = null;
            foreach (string python in new[] { "python3", "python" })
            {
                try
                {
                    var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    psi.ArgumentList.Add("-c");
                    psi.ArgumentList.Add("import botocore,os;print(os.path.dirname(botocore.__file__))");
                    using Process p = Process.Start(psi)!;
                    string output = p.StandardOutput.ReadToEnd().Trim();
                    p.WaitForExit();
                    if (p.ExitCode == 0 && Directory.Exists(output))
                    {
                        dir = output;
                        break;
                    }
                }
                catch (System.ComponentModel.Win32Exception)
                {
                }
            }
            if (dir is null) throw new InvalidOperationException("botocore (installed with the aws CLI) was not found through python3/python.");
            string folder = Path.Combine(dir, "data", "rds", "2014-10-31");
            string plain = Path.Combine(folder, "service-2.json");
            string json;
            if (File.Exists(plain))
            {
                json = File.ReadAllText(plain);
            }
            else
            {
                using var gz = new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
                using var reader = new StreamReader(gz);
                json = reader.ReadToEnd();
            }
            using JsonDocument doc = JsonDocument.Parse(json);
            return new BotocoreModel(doc.RootElement.Clone());
        }

        /// <summary>Every place where the answer disagrees with the operation's output shape.</summary>
        public List<string> Validate(string operation, XElement root)
        {
            var problems = new List<string>();
            XNamespace ns = root.Name.Namespace;
            JsonElement output = _operations.GetProperty(operation).GetProperty("output");
            string wrapper = output.GetProperty("resultWrapper").GetString()!;
            if (root.Name.LocalName != operation + "Response") problems.Add($"root is {root.Name.LocalName}");
            XElement? result = root.Element(ns + wrapper);
            if (result is null)
            {
                problems.Add($"no {wrapper}");
                return problems;
            }
            if (root.Element(ns + "ResponseMetadata")?.Element(ns + "RequestId") is null) problems.Add("no ResponseMetadata/RequestId");
            ValidateShape(output.GetProperty("shape").GetString()!, result, wrapper, problems);
            return problems;
        }

        private void ValidateShape(string shapeName, XElement element, string path, List<string> problems)
        {
            JsonElement shape = _shapes.GetProperty(shapeName);
            string type = shape.GetProperty("type").GetString()!;
            switch (type)
            {
                case "structure":
                    var members = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (JsonProperty m in shape.GetProperty("members").EnumerateObject())
                    {
                        string xmlName = m.Value.TryGetProperty("locationName", out JsonElement ln) ? ln.GetString()! : m.Name;
                        members[xmlName] = m.Value.GetProperty("shape").GetString()!;
                    }
                    foreach (XElement child in element.Elements())
                    {
                        if (!members.TryGetValue(child.Name.LocalName, out string? memberShape))
                        {
                            problems.Add($"{path}/{child.Name.LocalName}: not a member of {shapeName}");
                            continue;
                        }
                        ValidateShape(memberShape, child, path + "/" + child.Name.LocalName, problems);
                    }
                    break;
                case "list":
                    JsonElement member = shape.GetProperty("member");
                    string itemName = member.TryGetProperty("locationName", out JsonElement itemLn) ? itemLn.GetString()! : "member";
                    foreach (XElement item in element.Elements())
                    {
                        if (item.Name.LocalName != itemName) problems.Add($"{path}/{item.Name.LocalName}: list items of {shapeName} are <{itemName}>");
                        ValidateShape(member.GetProperty("shape").GetString()!, item, path + "/" + itemName, problems);
                    }
                    break;
                default:
                    if (element.HasElements) problems.Add($"{path}: scalar {type} has child elements");
                    string v = element.Value;
                    bool ok = type switch
                    {
                        "boolean" => v is "true" or "false",
                        "integer" or "long" => long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                        "double" or "float" => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                        "timestamp" => DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) && v.Contains('T'),
                        _ => true,
                    };
                    if (!ok) problems.Add($"{path}: '{v}' is not a valid {type}");
                    break;
            }
        }
    }
}
