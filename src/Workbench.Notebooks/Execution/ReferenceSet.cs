using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Workbench.Notebooks.Execution;

/// <summary>Framework file references, host assemblies (for scripts) and their file references (for completion).</summary>
internal sealed record ReferenceSet(
    IReadOnlyList<MetadataReference> Framework,
    IReadOnlyList<Assembly> HostAssemblies,
    IReadOnlyList<MetadataReference> HostFiles,
    IReadOnlySet<string> Names);
