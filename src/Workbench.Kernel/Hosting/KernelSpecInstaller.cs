using Workbench.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// Installs the workbench-csharp kernelspec (kernel.json and two logos) where Jupyter looks: under
/// PREFIX/share/jupyter/kernels with a prefix, or in the user's Jupyter data folder.
/// </summary>
public static class KernelSpecInstaller
{
    /// <summary>The kernelspec's name.</summary>
    public const string KernelName = "workbench-csharp";

    /// <summary>The folder holding kernelspecs: PREFIX/share/jupyter/kernels, else the user's (JUPYTER_DATA_DIR or ~/.local/share/jupyter).</summary>
    public static string KernelsDirectory(string? prefix)
    {
        if (!string.IsNullOrEmpty(prefix)) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        var data = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (string.IsNullOrEmpty(data))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            data = OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Jupyter")
                : OperatingSystem.IsWindows() ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter")
                : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".local", "share"), "jupyter");
        }
        return Path.Combine(data, "kernels");
    }

    /// <summary>The kernel.json content for a command line that starts the workbench (absolute paths).</summary>
    public static JsonObject KernelJson(IReadOnlyList<string> command)
    {
        var argv = new JsonArray();
        foreach (var c in command) argv.Add(c);
        foreach (var a in new[] { "kernel", "run", "-f", "{connection_file}" }) argv.Add(a);
        return new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = "C# (Workbench)",
            ["language"] = "csharp",
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>
    /// The command that starts this workbench: the apphost's absolute path, or "dotnet workbench.dll" when run
    /// through the dotnet host.
    /// </summary>
    public static IReadOnlyList<string> CurrentCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell the path of the running executable");
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("cannot tell the path of the workbench assembly");
            return new[] { Path.GetFullPath(process), Path.GetFullPath(entry) };
        }
        return new[] { Path.GetFullPath(process) };
    }

    /// <summary>Writes the kernelspec (atomically, file by file); returns its folder.</summary>
    public static string Install(IReadOnlyList<string> command, string? prefix)
    {
        var folder = Path.Combine(KernelsDirectory(prefix), KernelName);
        Directory.CreateDirectory(folder);
        var json = KernelJson(command).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        WriteAtomically(Path.Combine(folder, "kernel.json"), System.Text.Encoding.UTF8.GetBytes(json + "\n"));
        WriteAtomically(Path.Combine(folder, "logo-32x32.png"), LogoPng.Create(32));
        WriteAtomically(Path.Combine(folder, "logo-64x64.png"), LogoPng.Create(64));
        return folder;
    }

    /// <summary>Removes the kernelspec; returns false when it was not installed there.</summary>
    public static bool Uninstall(string? prefix)
    {
        var folder = Path.Combine(KernelsDirectory(prefix), KernelName);
        if (!Directory.Exists(folder)) return false;
        Directory.Delete(folder, recursive: true);
        return true;
    }

    private static void WriteAtomically(string path, byte[] bytes) => AtomicFile.WriteAllBytes(path, bytes);
}
