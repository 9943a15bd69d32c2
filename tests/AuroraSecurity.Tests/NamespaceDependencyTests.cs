using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using AuroraSecurity.Tests.Infrastructure;
using Xunit;

namespace AuroraSecurity.Tests
{
    /// <summary>
    /// The engine's namespaces depend on each other one way only: Engine ← Tls ← Sql and Rds ← Clusters ← Audit.
    /// Dependencies are read from the compiled assembly: signatures, base types, locals and every member a method body uses.
    /// </summary>
    [Trait(Needs.Key, Needs.Nothing)]
    public sealed class NamespaceDependencyTests
    {
        private static readonly Assembly Engine = typeof(AuroraSecurityException).Assembly;

        // Each namespace, and the namespaces it must never reach (directly or through others).
        public static TheoryData<string, string> Forbidden => new TheoryData<string, string>
        {
            { "Engine", "Tls" }, { "Engine", "Sql" }, { "Tls", "Sql" },
            { "Rds", "Clusters" }, { "Rds", "Audit" }, { "Clusters", "Audit" },
        };

        [Fact]
        public void NoTwoNamespacesDependOnEachOther()
        {
            var graph = DependencyGraph();
            var cycles = new List<string>();
            foreach (var from in graph.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                foreach (var to in graph[from].Keys.Where(to => string.CompareOrdinal(from, to) < 0))
                {
                    var back = PathBetween(graph, to, from);
                    if (back != null)
                    {
                        cycles.Add($"{from} → {to} ({graph[from][to]}) and back: {string.Join(" → ", back)}");
                    }
                }
            }

            Assert.True(cycles.Count == 0, "Namespaces in a cycle:\n" + string.Join("\n", cycles));
        }

        [Theory]
        [MemberData(nameof(Forbidden))]
        public void DependenciesRunOneWay(string from, string to)
        {
            var graph = DependencyGraph();
            Assert.True(graph.ContainsKey(from), $"AuroraSecurity.{from} has no types any more; update this test's list.");
            var path = PathBetween(graph, from, to);
            Assert.True(path == null, $"AuroraSecurity.{from} must not depend on AuroraSecurity.{to}, but does: {string.Join(" → ", path ?? new List<string>())}");
        }

        [Fact]
        public void TheReaderSeesTypesUsedOnlyInsideMethodBodies()
        {
            var used = UsedTypes(typeof(BodyOnly)).ToList();
            Assert.Contains(typeof(Uri), used);
            Assert.Contains(typeof(StringComparer), used);
            Assert.Contains(typeof(System.Text.StringBuilder), used);
        }

        private sealed class BodyOnly
        {
            public static int Use() => new Uri("https://example.com/").Port + StringComparer.Ordinal.GetHashCode("x") + new System.Text.StringBuilder().Length;
        }

        // namespace → (namespace it uses → one example "Type → Type").
        private static Dictionary<string, Dictionary<string, string>> DependencyGraph()
        {
            var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var type in Engine.GetTypes())
            {
                var from = Area(type);
                if (from == null) continue;
                if (!graph.TryGetValue(from, out var edges)) graph[from] = edges = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var used in UsedTypes(type))
                {
                    var to = Area(used);
                    if (to != null && to != from && !edges.ContainsKey(to)) edges[to] = $"{Outer(type).Name} uses {Outer(used).Name}";
                }
            }

            return graph;
        }

        private static List<string>? PathBetween(Dictionary<string, Dictionary<string, string>> graph, string from, string to)
        {
            var previous = new Dictionary<string, string> { [from] = from };
            var queue = new Queue<string>(new[] { from });
            while (queue.Count > 0)
            {
                var at = queue.Dequeue();
                if (at == to)
                {
                    var path = new List<string> { to };
                    while (path[0] != from) path.Insert(0, previous[path[0]]);
                    return path;
                }

                if (!graph.TryGetValue(at, out var edges)) continue;
                foreach (var next in edges.Keys.Where(n => !previous.ContainsKey(n)))
                {
                    previous[next] = at;
                    queue.Enqueue(next);
                }
            }

            return null;
        }

        // "AuroraSecurity.Sql.Accounts" → "Sql"; the root namespace (shared exception types) and other assemblies → null.
        private static string? Area(Type type)
        {
            type = Outer(type);
            if (type.Assembly != Engine || type.Namespace == null) return null;
            var parts = type.Namespace.Split('.');
            return parts.Length > 1 && parts[0] == "AuroraSecurity" ? parts[1] : null;
        }

        private static Type Outer(Type type)
        {
            while (type.IsNested) type = type.DeclaringType!;
            return type;
        }

        private static IEnumerable<Type> UsedTypes(Type type)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var found = new List<Type>();
            if (type.BaseType != null) found.Add(type.BaseType);
            found.AddRange(type.GetInterfaces());
            found.AddRange(type.GetFields(all).Select(f => f.FieldType));
            found.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
            var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
            foreach (var method in methods)
            {
                if (method is MethodInfo info) found.Add(info.ReturnType);
                found.AddRange(method.GetParameters().Select(p => p.ParameterType));
                var body = method.GetMethodBody();
                if (body == null) continue;
                found.AddRange(body.LocalVariables.Select(l => l.LocalType));
                found.AddRange(TypesInIl(method, body.GetILAsByteArray() ?? Array.Empty<byte>()));
            }

            return found.SelectMany(Unwrap);
        }

        // Element and generic argument types too: List<Finding> uses Finding.
        private static IEnumerable<Type> Unwrap(Type type)
        {
            yield return type;
            if (type.HasElementType)
            {
                foreach (var inner in Unwrap(type.GetElementType()!)) yield return inner;
            }

            if (type.IsGenericType && !type.IsGenericTypeDefinition)
            {
                foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap)) yield return inner;
            }
        }

        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        // The types named by the tokens of a method body (calls, fields, casts, allocations).
        private static IEnumerable<Type> TypesInIl(MethodBase method, byte[] il)
        {
            var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            var at = 0;
            while (at < il.Length)
            {
                short value = il[at++];
                if (value == 0xFE) value = (short)(0xFE00 | il[at++]);
                if (!OpCodesByValue.TryGetValue(value, out var code)) yield break;
                int size;
                switch (code.OperandType)
                {
                    case OperandType.InlineNone: size = 0; break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar: size = 1; break;
                    case OperandType.InlineVar: size = 2; break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR: size = 8; break;
                    case OperandType.InlineSwitch: size = 4 + 4 * BitConverter.ToInt32(il, at); break;
                    default: size = 4; break;
                }

                if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
                {
                    var token = BitConverter.ToInt32(il, at);
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(token, typeArguments, methodArguments); }
                    catch (ArgumentException) { }
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case MethodBase m:
                            if (m.DeclaringType != null) yield return m.DeclaringType;
                            if (m is MethodInfo mi && mi.IsGenericMethod) foreach (var a in mi.GetGenericArguments()) yield return a;
                            break;
                        case FieldInfo f:
                            if (f.DeclaringType != null) yield return f.DeclaringType;
                            break;
                    }
                }

                at += size;
            }
        }
    }
}
