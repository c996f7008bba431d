using System.Diagnostics;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Workbench.Cli.Tests.Packaging;

/// <summary>
/// The CLI's output folder, the one `workbench kernel install` points kernel.json at, holds the F# compiler and the
/// libraries a first F# cell runs as ReadyToRun images in a Release build on linux-x64 (src/Workbench.Cli/ReadyToRun.targets),
/// and IL otherwise; and an F# cell runs from that folder.
/// </summary>
public sealed class ReadyToRunTests
{
    // The assemblies ReadyToRun.targets names (WorkbenchReadyToRunAssembly).
    private static readonly string[] Precompiled =
    {
        "FSharp.Compiler.Service", "FSharp.Core", "FSharp.DependencyManager.Nuget",
        "Plotly.NET", "DynamicObj", "Giraffe.ViewEngine", "Fable.Core", "Workbench.Notebooks",
    };

    // tests/Workbench.Cli.Tests/bin/<Configuration>/<TFM> → src/Workbench.Cli/bin/<Configuration>/<TFM>
    private static (string Folder, string Configuration) CliOutput()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = baseDir.Name, configuration = baseDir.Parent!.Name;
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "pack.sh")))
                return (Path.Combine(dir.FullName, "src", "Workbench.Cli", "bin", configuration, framework), configuration);
        throw new DirectoryNotFoundException("scripts/pack.sh was not found above " + AppContext.BaseDirectory);
    }

    // A ReadyToRun image carries a managed native header in its CLI header; a plain IL assembly does not.
    private static bool IsReadyToRun(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [Fact]
    public void TheFSharpPathIsPrecompiledExactlyInReleaseBuildsOnLinuxX64()
    {
        var (folder, configuration) = CliOutput();
        bool expected = configuration == "Release" && RuntimeInformation.RuntimeIdentifier == "linux-x64";
        foreach (var name in Precompiled)
        {
            var path = Path.Combine(folder, name + ".dll");
            Assert.True(File.Exists(path), $"{path} is missing: build src/Workbench.Cli -c {configuration} first");
            Assert.True(IsReadyToRun(path) == expected,
                $"{path}: ReadyToRun is {IsReadyToRun(path)}, expected {expected} for a {configuration} build on {RuntimeInformation.RuntimeIdentifier}" +
                " (built with -p:WorkbenchReadyToRun=false, or the ReadyToRun step no longer runs?)");
            // The precompiled image keeps the identity the IL copy beside the tests has (what deps.json promises).
            var il = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (File.Exists(il)) Assert.Equal(AssemblyName.GetAssemblyName(il).FullName, AssemblyName.GetAssemblyName(path).FullName);
        }
        // Not everything: the precompiled set is chosen, the rest stays IL.
        Assert.False(IsReadyToRun(Path.Combine(folder, "Spectre.Console.dll")));
    }

    [Fact]
    public async Task AnFSharpCellRunsFromTheCliOutputFolder()
    {
        var (folder, _) = CliOutput();
        var dir = Directory.CreateTempSubdirectory("wb-r2r-").FullName;
        try
        {
            var dib = Path.Combine(dir, "fsharp.dib");
            File.WriteAllText(dib, "#!fsharp\n\nlet squares = [ for i in 1 .. 10 -> i * i ]\nprintfn \"%d\" (List.sum squares)\n");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
            foreach (var a in new[] { Path.Combine(folder, "workbench.dll"), "notebook", "run", dib, "-o", Path.Combine(dir, "out") }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                try { await process.WaitForExitAsync(timeout.Token); }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("workbench notebook run did not finish in 3 minutes");
                }
            }
            Assert.True(process.ExitCode == 0, await stdout + await stderr);
            var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "out", "fsharp.ipynb")))!;
            var output = notebook["cells"]!.AsArray().Single()!["outputs"]!.AsArray().Single()!;
            // nbformat allows a string or a list of lines
            var text = output["text"] is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : output["text"]!.GetValue<string>();
            Assert.Equal("385\n", text);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
