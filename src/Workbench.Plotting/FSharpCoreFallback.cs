using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Workbench.Plotting;

/// <summary>
/// Lets Plotly.NET run in a host that already loaded an older FSharp.Core. Plotly.NET 6.0.0 is built against
/// FSharp.Core 10.1, while the official .NET Interactive kernel (1.0.712001) loads its own FSharp.Core 10.0 at start;
/// the runtime then refuses the 10.1 reference with FileNotFoundException on the first chart. Measured there: handing
/// the loaded 10.0 back to that request draws every chart the notebooks draw. The handler only answers requests the
/// runtime could not bind, so in a host with a new enough FSharp.Core (the Workbench kernel) it never runs.
/// </summary>
internal static class FSharpCoreFallback
{
#pragma warning disable CA2255 // a library module initializer on purpose: it must be in place before Plotly.NET's first type loads
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, "FSharp.Core", StringComparison.Ordinal)) return null;
        return context.Assemblies.FirstOrDefault(a =>
            string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.Ordinal) && a.GetName().Version < requested.Version);
    }
}
