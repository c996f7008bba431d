using System.Diagnostics;
using Workbench.Models;
using Workbench.Recurrent;
using static Workbench.Onnx.Tests.Export.RecurrentExportTests;

namespace Workbench.Onnx.Tests.Export;

/// <summary>
/// ONNX's own checker (Debian's python3-onnx, installed by scripts/install-deps.sh; <c>check_model</c> with
/// <c>full_check</c>, which adds shape inference) accepts every file the exporter writes: every kind, stacked and
/// bidirectional, with and without bias and optional inputs, and every model type.
/// </summary>
public sealed class OnnxCheckerTests
{
    [Fact]
    public async Task CheckerAcceptsEveryExportedFile()
    {
        string folder = Directory.CreateTempSubdirectory("workbench-onnx-check-").FullName;
        try
        {
            var files = new List<string>();
            void Save(string name, Action<string> save)
            {
                string path = Path.Combine(folder, name + ".onnx");
                save(path);
                files.Add(path);
            }
            foreach (string kind in KindNames)
            {
                Save($"{kind}_1", p => OnnxExport.Save(new RecurrentLayer<float>(Options(kind, 3, 4)), p));
                Save($"{kind}_stacked_bidirectional", p => OnnxExport.Save(new RecurrentLayer<float>(Options(kind, 3, 4) with { NumLayers = 3, Bidirectional = true }), p));
                Save($"{kind}_no_bias_no_optional_inputs", p => OnnxExport.Save(new RecurrentLayer<double>(Options(kind, 3, 4) with { NumLayers = 2, Bias = false }), p,
                    new OnnxExportOptions { SequenceLengths = false, InitialStates = false }));
                var options = new SequenceModelOptions(Options(kind, 1, 4)) { NumLayers = 2, Bidirectional = true, EmbeddingDim = 3 };
                Save($"{kind}_tagger", p => OnnxExport.Save(new SequenceTagger<float>(10, 5, options), p));
                Save($"{kind}_classifier", p => OnnxExport.Save(new SequenceClassifier<float>(10, 5, options), p));
                Save($"{kind}_language_model", p => OnnxExport.Save(new LanguageModel<float>(10, options with { Bidirectional = false }), p));
                Save($"{kind}_regressor", p => OnnxExport.Save(new SequenceRegressor<float>(2, 1, options), p));
                Save($"{kind}_regressor_per_step", p => OnnxExport.Save(new SequenceRegressor<float>(2, 1, options, perStep: true), p));
            }

            string script = Path.Combine(OnnxFixtures.Directory, "check_onnx.py");
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            foreach (string file in files) start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0,
                $"check_onnx.py exited {process.ExitCode} (python3-onnx comes from scripts/install-deps.sh):\n{stdout}\n{await stderr}");
            Assert.Equal(files.Count, stdout.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
