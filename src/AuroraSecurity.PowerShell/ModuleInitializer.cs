using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
#if NET
using System.Runtime.Loader;
#endif

namespace AuroraSecurity.PowerShell
{
    /// <summary>
    /// Loads the engine (AuroraSecurity.dll) and its dependencies (AWSSDK.Core, MySqlConnector, …) from the
    /// module's Dependencies folder, in a load context of their own on PowerShell 7, so that another module
    /// (AWS.Tools in particular) can bring other versions of the same assemblies into one session.
    /// PowerShell calls <see cref="OnImport"/> after it has listed the assembly's types and before any cmdlet runs.
    /// Listing the types must therefore not need the engine: no type here may derive from an engine type or hold a
    /// field of an engine value type (an enum included), since loading such a type loads the engine before the
    /// resolver is in place. Engine types in property and method signatures are fine: PowerShell reads them only
    /// when a cmdlet is first used. Module.Tests.ps1 checks that importing the module leaves the engine unloaded.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <inheritdoc />
        public void OnImport() => Register();

        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty, "Dependencies");

#if NET
        private static readonly DependencyLoadContext Isolated = new DependencyLoadContext(DependencyFolder);

        private static int registered;

        /// <summary>Hooks engine resolution into the default load context; safe to call more than once.</summary>
        public static void Register()
        {
            if (System.Threading.Interlocked.Exchange(ref registered, 1) == 0)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            registered = 0;
        }

        // Only the engine is handed to the default context; everything it needs then loads inside the isolated one.
        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
            string.Equals(name.Name, "AuroraSecurity", StringComparison.Ordinal)
                ? Isolated.LoadFromAssemblyPath(Path.Combine(DependencyFolder, "AuroraSecurity.dll"))
                : null;

        private sealed class DependencyLoadContext : AssemblyLoadContext
        {
            private readonly string folder;

            public DependencyLoadContext(string folder)
                : base("AuroraSecurity.Dependencies", isCollectible: false) => this.folder = folder;

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var candidate = Path.Combine(folder, assemblyName.Name + ".dll");
                return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
            }
        }
#else
        private static int registered;

        /// <summary>Hooks dependency resolution into the application domain; safe to call more than once.</summary>
        public static void Register()
        {
            if (System.Threading.Interlocked.Exchange(ref registered, 1) == 0)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
            registered = 0;
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            var candidate = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
#endif
    }
}
