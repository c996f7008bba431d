using System.Text.Json.Nodes;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// The language a front end sends with an execute_request, in the message metadata as .NET Interactive's Jupyter
/// kernel reads it: <c>polyglot_notebook.kernelName</c>, else <c>dotnet_interactive.language</c> (which holds a
/// kernel name despite its key). Null when the front end sends neither: the cell then runs on the default kernel.
/// </summary>
internal static class CellLanguage
{
    public static string? FromMetadata(JsonObject metadata) =>
        Text((metadata["polyglot_notebook"] as JsonObject)?["kernelName"])
        ?? Text((metadata["dotnet_interactive"] as JsonObject)?["language"]);

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
