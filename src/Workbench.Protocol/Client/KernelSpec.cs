using System.Text.Json.Nodes;

namespace Workbench.Protocol.Client;

/// <summary>A kernelspec (kernel.json): how to start a kernel and how to interrupt it.</summary>
/// <param name="Name">The kernelspec's name (its folder's name), e.g. "python3".</param>
/// <param name="Directory">The folder holding kernel.json ({resource_dir}).</param>
/// <param name="Argv">The command line; {connection_file} and {resource_dir} are substituted at start.</param>
/// <param name="DisplayName">The name a front end shows.</param>
/// <param name="Language">The kernel's language ("python").</param>
/// <param name="InterruptMode">"signal" (SIGINT to the process) or "message" (interrupt_request on control).</param>
/// <param name="Environment">Extra environment variables for the kernel process.</param>
public sealed record KernelSpec(string Name, string Directory, IReadOnlyList<string> Argv, string DisplayName, string Language,
    string InterruptMode, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Finds a kernelspec by name (case-insensitive as jupyter_client lowercases names) in <see cref="JupyterPaths.KernelDirectories"/>.</summary>
    /// <exception cref="KernelSpecNotFoundException">No folder holds it; the message names every folder searched.</exception>
    public static KernelSpec Find(string name) => Find(name, JupyterPaths.KernelDirectories());

    /// <summary>Finds a kernelspec by name in the given kernels folders, first match wins.</summary>
    public static KernelSpec Find(string name, IReadOnlyList<string> kernelDirectories)
    {
        foreach (var dir in kernelDirectories)
        {
            if (!System.IO.Directory.Exists(dir)) continue;
            foreach (var candidate in System.IO.Directory.EnumerateDirectories(dir))
            {
                if (!string.Equals(Path.GetFileName(candidate), name, StringComparison.OrdinalIgnoreCase)) continue;
                var file = Path.Combine(candidate, "kernel.json");
                if (File.Exists(file)) return Load(file);
            }
        }
        throw new KernelSpecNotFoundException(name, kernelDirectories);
    }

    /// <summary>Reads a kernel.json; errors name the file and the field.</summary>
    public static KernelSpec Load(string kernelJsonPath)
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(File.ReadAllText(kernelJsonPath)) as JsonObject ?? throw new FormatException($"{kernelJsonPath}: not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{kernelJsonPath}: invalid JSON: {e.Message}", e);
        }
        var argv = (obj["argv"] as JsonArray)?.Select(n => (string?)n ?? "").ToList();
        if (argv is null || argv.Count == 0) throw new FormatException($"{kernelJsonPath}: \"argv\" must be a non-empty list of strings");
        var env = new Dictionary<string, string>();
        if (obj["env"] is JsonObject e2)
            foreach (var (k, v) in e2) env[k] = (string?)v ?? "";
        var mode = (string?)obj["interrupt_mode"] ?? "signal";
        if (mode is not ("signal" or "message")) throw new FormatException($"{kernelJsonPath}: \"interrupt_mode\" must be \"signal\" or \"message\", got \"{mode}\"");
        var dir = Path.GetDirectoryName(Path.GetFullPath(kernelJsonPath))!;
        return new KernelSpec(Path.GetFileName(dir), dir, argv, (string?)obj["display_name"] ?? Path.GetFileName(dir),
            (string?)obj["language"] ?? "", mode, env);
    }

    /// <summary>The command line with {connection_file} and {resource_dir} substituted.</summary>
    public IReadOnlyList<string> CommandLine(string connectionFile) =>
        Argv.Select(a => a.Replace("{connection_file}", connectionFile, StringComparison.Ordinal)
            .Replace("{resource_dir}", Directory, StringComparison.Ordinal)).ToList();
}
