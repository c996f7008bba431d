using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;

namespace Workbench.Kernel.Hosting;

/// <summary>
/// An execute_request's user_expressions, evaluated after its cell succeeded as ipykernel does: each one silently, in the
/// cell's language, without advancing the execution count, and answered by name with its MIME bundle or its error.
/// </summary>
internal static class UserExpressions
{
    public static JsonObject Evaluate(NotebookSession session, JsonNode? expressions, Func<ICellOutput> silentOutput, string? language)
    {
        var results = new JsonObject();
        if (expressions is not JsonObject named) return results;
        foreach (var (name, node) in named)
        {
            var code = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            var r = session.ExecuteAsync(code, silentOutput(), CancellationToken.None, language, storeHistory: false).GetAwaiter().GetResult();
            results[name] = r.Error is { } e
                ? new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = e.Name,
                    ["evalue"] = e.Value,
                    ["traceback"] = new JsonArray(e.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
                }
                : new JsonObject
                {
                    ["status"] = "ok",
                    ["data"] = r.Result?.DataToJson() ?? new JsonObject(),
                    ["metadata"] = r.Result?.Metadata.DeepClone() ?? new JsonObject(),
                };
        }
        return results;
    }
}
