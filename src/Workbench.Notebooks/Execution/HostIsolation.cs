using System.Collections;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Execution;

/// <summary>
/// Keeps the workbench's own libraries (Workbench.Core, Workbench.Runner) out of a notebook host's trusted platform
/// assemblies. Roslyn's script loader lets the default context resolve first, so a TPA copy would shadow the one a
/// notebook builds with <c>#:project ../src/Workbench.Core</c>: cells would run the CLI's (possibly stale) copy
/// instead of the fresh shadow copy. A host (the kernel, the headless runner) calls <see cref="Apply"/> first thing:
/// it replaces the process image (execve: same pid, so Jupyter's signals still reach it) with
/// <c>dotnet exec --depsfile</c> and a deps file without those libraries, then runs the same command again.
/// </summary>
public static class HostIsolation
{
    private const string Marker = "WORKBENCH_HOST_ISOLATED";
    private static readonly string[] Excluded = { "Workbench.Core", "Workbench.Runner" };

    /// <summary>
    /// Re-executes the process isolated when needed and possible, with <paramref name="args"/> as the command-line
    /// arguments (e.g. "kernel", "run", "-f", path). Returns, with the reason, when it continues in this process:
    /// "already isolated", "nothing to isolate", or why isolation was not possible.
    /// </summary>
    public static string Apply(IReadOnlyList<string> args)
    {
        if (Environment.GetEnvironmentVariable(Marker) == "1") return "already isolated";
        if (OperatingSystem.IsWindows()) return "not supported on Windows";
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        if (!tpa.Any(p => Excluded.Contains(Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase))) return "nothing to isolate";
        // The host lists deps files separated by ";" on every OS; the app's own comes first.
        var depsFile = ((string?)AppContext.GetData("APP_CONTEXT_DEPS_FILES") ?? "").Split(';').FirstOrDefault(File.Exists);
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        if (depsFile is null || string.IsNullOrEmpty(entry)) return "no deps file";
        var runtimeConfig = Path.ChangeExtension(entry, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig)) return "no runtimeconfig";
        var dotnet = DotnetHost();
        if (dotnet is null) return "dotnet host not found";

        string filtered;
        try { filtered = WriteFilteredDeps(depsFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return $"cannot write deps file: {e.Message}"; }

        var argv = new List<string?> { dotnet, "exec", "--depsfile", filtered, "--runtimeconfig", runtimeConfig, entry };
        argv.AddRange(args);
        argv.Add(null);
        var env = new List<string?>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if ((string)e.Key != Marker) env.Add($"{e.Key}={e.Value}");
        env.Add($"{Marker}=1");
        env.Add(null);
        Console.Out.Flush();
        Console.Error.Flush();
        execve(dotnet, argv.ToArray(), env.ToArray());
        return $"execve failed (errno {Marshal.GetLastPInvokeError()})";
    }

    /// <summary>The deps file without the excluded libraries, written once per distinct input (content-addressed).</summary>
    internal static string WriteFilteredDeps(string depsFile)
    {
        var text = File.ReadAllText(depsFile);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        // Beside the original: the host resolves the app's own assets relative to the deps file's folder.
        var path = Path.Combine(Path.GetDirectoryName(depsFile)!, $"{Path.GetFileName(depsFile)[..^".deps.json".Length]}.isolated-{hash}.deps.json");
        if (File.Exists(path)) return path;

        var root = JsonNode.Parse(text)!.AsObject();
        bool IsExcluded(string key) => Excluded.Any(x => key.StartsWith(x + "/", StringComparison.OrdinalIgnoreCase));
        if (root["targets"] is JsonObject targets)
            foreach (var (_, target) in targets)
            {
                if (target is not JsonObject libs) continue;
                foreach (var key in libs.Select(l => l.Key).Where(IsExcluded).ToList()) libs.Remove(key);
                foreach (var (_, lib) in libs)
                    if (lib?["dependencies"] is JsonObject deps)
                        foreach (var x in Excluded) deps.Remove(x);
            }
        if (root["libraries"] is JsonObject libraries)
            foreach (var key in libraries.Select(l => l.Key).Where(IsExcluded).ToList()) libraries.Remove(key);

        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        File.WriteAllText(temp, root.ToJsonString());
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static string? DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var candidates = new List<string>();
        if (runtimeDir is not null) candidates.Add(Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", "dotnet")));
        if (!string.IsNullOrEmpty(root)) candidates.Add(Path.Combine(root, "dotnet"));
        return candidates.FirstOrDefault(File.Exists);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve(string path, string?[] argv, string?[] envp);
}
