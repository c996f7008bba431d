using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Workbench.Recurrent;
using Workbench.Tensors;

namespace Workbench.Cli.Tests.Packaging;

/// <summary>
/// scripts/pack.sh packs Workbench.Core and the Workbench.Cli tool without a warning; a fresh console project outside
/// the repository restores the core package from that folder and runs a GRU with the same numbers as the core built
/// here; the tool installs from the folder and runs.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-package-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "pack.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException("scripts/pack.sh was not found above " + AppContext.BaseDirectory);
    }

    private static (int Exit, string Output) Run(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 8 minutes");
        }
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    // The console program and the reference below compute the same thing: h_n of a seeded 2-layer bidirectional GRU.
    private const string Program = """
        using System.Globalization;
        using Workbench.Recurrent;
        using Workbench.Tensors;

        var gru = new Gru<float>(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 1);
        var x = new NdArray<float>(Enumerable.Range(0, 5 * 2 * 3).Select(i => MathF.Sin(i)).ToArray(), 5, 2, 3);
        var (_, hN, _) = gru.Forward(x, lengths: [5, 3]);
        Console.WriteLine(string.Join(" ", hN.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        """;

    private static string Reference()
    {
        var gru = new Gru<float>(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 1);
        var x = new NdArray<float>(Enumerable.Range(0, 5 * 2 * 3).Select(i => MathF.Sin(i)).ToArray(), 5, 2, 3);
        var (_, hN, _) = gru.Forward(x, lengths: [5, 3]);
        return string.Join(" ", hN.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void PackagesInstallAndRunOutsideTheRepository()
    {
        string packages = Path.Combine(_folder, "packages");
        var (packExit, packOutput) = Run("bash", RepositoryRoot(), "scripts/pack.sh", "--no-build", packages);
        Assert.True(packExit == 0, $"pack.sh failed:\n{packOutput}");
        Assert.DoesNotContain("warning", packOutput, StringComparison.OrdinalIgnoreCase);
        string core = Directory.GetFiles(packages, "Workbench.Core.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(packages, "Workbench.Core.*.snupkg"));
        string version = Path.GetFileNameWithoutExtension(core)["Workbench.Core.".Length..];
        Assert.StartsWith("0.1.0-dev.", version);

        // What a user sees in the package: docs, readme, license, repository commit.
        using (var zip = ZipFile.OpenRead(core))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/Workbench.Core.dll", names);
            Assert.Contains("lib/net10.0/Workbench.Core.xml", names);
            Assert.Contains("README.md", names);
            using var nuspec = new StreamReader(zip.GetEntry("Workbench.Core.nuspec")!.Open());
            string text = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">MIT</license>", text);
            Assert.Contains("<readme>README.md</readme>", text);
            Assert.Contains("<dependency id=\"Google.Protobuf\"", text);
        }

        // A fresh console project, outside the repository (no Directory.Build.props, no central versions).
        string app = Path.Combine(_folder, "app");
        Directory.CreateDirectory(app);
        var sources = new StringBuilder($"<add key=\"local\" value=\"{packages}\" />\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />");
        if (Directory.Exists("/opt/nuget/packages")) sources.Append("\n    <add key=\"offline\" value=\"/opt/nuget/packages\" />");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                {sources}
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Workbench.Core" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        var (runExit, runOutput) = Run("dotnet", app, "run", "-c", "Release");
        Assert.True(runExit == 0, $"the console project failed:\n{runOutput}");
        Assert.Equal(Reference(), runOutput.Trim().Split('\n')[^1].Trim());

        // The tool installs from the same folder and runs a verb.
        string tools = Path.Combine(_folder, "tools");
        var (installExit, installOutput) = Run("dotnet", _folder, "tool", "install", "Workbench.Cli", "--version", version,
            "--tool-path", tools, "--add-source", packages);
        Assert.True(installExit == 0, $"dotnet tool install failed:\n{installOutput}");
        var (helpExit, helpOutput) = Run(Path.Combine(tools, "workbench"), _folder, "export", "--help");
        Assert.True(helpExit == 0, helpOutput);
        Assert.Contains("--to", helpOutput);
    }
}
