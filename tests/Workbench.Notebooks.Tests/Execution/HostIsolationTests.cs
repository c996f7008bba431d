using System.Text.Json.Nodes;
using Workbench.Notebooks.Execution;

namespace Workbench.Notebooks.Tests.Execution;

public sealed class HostIsolationTests
{
    [Fact]
    public void FilteredDepsDropTheWorkbenchLibrariesAndKeepEverythingElse()
    {
        var dir = Directory.CreateTempSubdirectory("wb-deps-").FullName;
        try
        {
            var deps = Path.Combine(dir, "workbench.deps.json");
            File.WriteAllText(deps, """
                {"targets": {".NETCoreApp,Version=v10.0": {
                   "workbench/1.0.0": {"dependencies": {"Workbench.Core": "1.0.0", "Workbench.Notebooks": "1.0.0", "Workbench.Runner": "1.0.0"}, "runtime": {"workbench.dll": {}}},
                   "Workbench.Core/1.0.0": {"type": "project", "runtime": {"Workbench.Core.dll": {}}},
                   "Workbench.Runner/1.0.0": {"type": "project", "runtime": {"Workbench.Runner.dll": {}}},
                   "Workbench.Notebooks/1.0.0": {"type": "project", "runtime": {"Workbench.Notebooks.dll": {}}}}},
                 "libraries": {"workbench/1.0.0": {"type": "project"}, "Workbench.Core/1.0.0": {"type": "project"},
                   "Workbench.Runner/1.0.0": {"type": "project"}, "Workbench.Notebooks/1.0.0": {"type": "project"}}}
                """);
            var filtered = HostIsolation.WriteFilteredDeps(deps);
            Assert.Equal(dir, Path.GetDirectoryName(filtered));
            var root = JsonNode.Parse(File.ReadAllText(filtered))!;
            var target = root["targets"]![".NETCoreApp,Version=v10.0"]!.AsObject();
            Assert.Equal(new[] { "workbench/1.0.0", "Workbench.Notebooks/1.0.0" }, target.Select(t => t.Key));
            Assert.Equal(new[] { "Workbench.Notebooks" }, target["workbench/1.0.0"]!["dependencies"]!.AsObject().Select(d => d.Key));
            Assert.Equal(new[] { "workbench/1.0.0", "Workbench.Notebooks/1.0.0" }, root["libraries"]!.AsObject().Select(l => l.Key));
            Assert.Equal(filtered, HostIsolation.WriteFilteredDeps(deps)); // content-addressed: written once
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
