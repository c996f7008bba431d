using System.Text.Json.Nodes;
using Workbench.Notebooks.Tests.Runner;

namespace Workbench.Notebooks.Tests.NotebookContent;

/// <summary>
/// The tutorials' checks must be able to fail. Each case takes a committed notebook, spoils one library result
/// where the notebook uses it (a gradient or a cell state scaled by 1 + 10⁻⁶, a finite difference off by 10⁻⁴), runs the notebook up
/// to that cell with the runner against the repository's build, and expects the notebook's own check to stop it.
/// A check that was commented out, caught, or compared a value with itself would let the spoiled run pass.
/// </summary>
[Collection(RunnerCollection.Name)]
public class NotebookChecksAreLiveTests
{
    public static TheoryData<string, string, string, string> Spoiled() => new()
    {
        { "01-rnn.ipynb", "double numeric = (plus - minus) / (2 * eps);",
          "double numeric = (plus - minus) / (2 * eps) * 1.0001;", "Gradient check failed" },
        { "02-lstm.ipynb", "dWhh += grads.WeightHh;", "dWhh += grads.WeightHh * 1.000001;",
          "BPTT by hand and the layer differ" },
        { "03-gru.ipynb", "dH = grads.PreviousHiddenState;", "dH = grads.PreviousHiddenState * 0.999999;",
          "BPTT by hand and the layer differ" },
        { "04-rnn-lstm-gru.ipynb", "var C = lstmCell.CellState(f, h, i, step.CandidateState);",
          "var C = lstmCell.CellState(f, h, i, step.CandidateState) * 1.000001;",
          "The LSTM's cell update with coupled gates is not the GRU's update" },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void ASpoiledLibraryResultStopsTheNotebook(string notebook, string original, string spoiled, string expected)
    {
        var repo = TutorialNotebookTests.RepositoryRoot();
        var root = Directory.CreateTempSubdirectory("wb-live-checks-").FullName;
        try
        {
            // The notebooks load ../src/Workbench.Core/bin/...: give the copy the same neighbours.
            Directory.CreateSymbolicLink(Path.Combine(root, "src"), Path.Combine(repo, "src"));
            Directory.CreateSymbolicLink(Path.Combine(root, "data"), Path.Combine(repo, "data"));
            Directory.CreateDirectory(Path.Combine(root, "notebooks"));

            var document = JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "notebooks", notebook)))!;
            var cells = document["cells"]!.AsArray();
            int target = -1;
            for (int i = 0; i < cells.Count; i++)
            {
                var source = Source(cells[i]!);
                if (cells[i]!["cell_type"]!.GetValue<string>() != "code" || !source.Contains(original, StringComparison.Ordinal)) continue;
                Assert.True(target < 0, $"{notebook}: '{original}' is in more than one cell");
                target = i;
                cells[i]!["source"] = source.Replace(original, spoiled, StringComparison.Ordinal);
            }
            Assert.True(target >= 0, $"{notebook}: no code cell contains '{original}' (update this test with the notebook)");
            while (cells.Count > target + 1) cells.RemoveAt(cells.Count - 1);   // the check's cell is the last that runs
            var path = Path.Combine(root, "notebooks", notebook);
            File.WriteAllText(path, document.ToJsonString());

            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "-o", Path.Combine(root, "out"));
            Assert.True(exit == 1, $"{notebook}: the spoiled run exited {exit}, not 1 (its check did not fire):\n{stderr}");
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
        finally { Directory.Delete(root, true); }
    }

    private static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        var text => text!.GetValue<string>(),
    };
}
