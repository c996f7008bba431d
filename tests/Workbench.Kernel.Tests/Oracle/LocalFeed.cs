using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbench.Kernel.Tests.Oracle;

/// <summary>
/// A NuGet folder feed made on the spot: each package is one class compiled with Roslyn and zipped with its nuspec,
/// so `#i "nuget: FOLDER"` and `#r "nuget: ..."` are tested without the network.
/// </summary>
internal static class LocalFeed
{
    /// <summary>Writes Id.Version.nupkg into <paramref name="folder"/> holding lib/net10.0/Id.dll built from <paramref name="code"/>.</summary>
    public static void WritePackage(string folder, string id, string version, string code)
    {
        Directory.CreateDirectory(folder);
        var compilation = CSharpCompilation.Create(id,
            new[] { CSharpSyntaxTree.ParseText(code) },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        if (!emitted.Success) throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics));

        using var zip = ZipFile.Open(Path.Combine(folder, $"{id}.{version}.nupkg".ToLowerInvariant()), ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
            writer.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id>
                    <version>{version}</version>
                    <authors>Workbench tests</authors>
                    <description>A package made by the oracle tests.</description>
                  </metadata>
                </package>
                """);
        using (var entry = zip.CreateEntry($"lib/net10.0/{id}.dll").Open())
            entry.Write(dll.ToArray());
    }
}
