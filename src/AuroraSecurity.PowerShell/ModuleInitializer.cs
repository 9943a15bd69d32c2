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
    /// The root module calls <see cref="Register"/> before it imports the cmdlets, because PowerShell inspects
    /// cmdlet parameter types (engine types among them) before any module initializer would run.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyCleanup
    {
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
