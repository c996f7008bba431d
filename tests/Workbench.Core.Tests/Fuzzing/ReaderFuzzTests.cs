using System.Text;
using CsCheck;
using Xunit.Abstractions;
using Workbench.Checkpoints;
using Workbench.Core.Tests.Parity;
using Workbench.Embeddings;
using Workbench.Training;

namespace Workbench.Core.Tests.Fuzzing;

/// <summary>
/// Hostile files for every reader: CsCheck generators make structured and byte-mutated inputs from valid files; each
/// reader must either read the input or throw its documented bad-input exception, never crash or hang. Seeded and
/// bounded (a fixed number of cases), so a run is repeatable; the counts are printed for the record.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const ulong Seed = 20261207;
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Report(string target, int cases, int rejected) =>
        output.WriteLine($"fuzz {target}: {cases} cases, {rejected} rejected with the documented exception, {cases - rejected} read, 0 crashes");

    // Safetensors headers built from edge values: sizes that wrap, offsets past the end, odd dtypes and shapes.
    private static readonly Gen<byte[]> SafetensorsHeaders =
        Gen.Select(
            Gen.OneOf("F32", "F64", "F16", "BF16", "I64", "I32", "I8", "U8", "BOOL", "X9"),
            Gen.OneOf<long>(0, 1, 2, 3, 4, 16, 65536, int.MaxValue, 1L << 31, 1L << 32, 1L << 40, -1).Array[0, 4],
            Gen.OneOf<long>(0, 1, 4, 8, 12, 16, 64, 1L << 62, long.MaxValue, -8).Array[2],
            Gen.Int[0, 64])
        .Select((dtype, shape, offsets, dataLength) =>
        {
            string json = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + string.Join(",", shape) + "],\"data_offsets\":["
                + offsets[0] + "," + offsets[1] + "]},\"__metadata__\":{\"k\":\"v\"}}";
            byte[] header = Encoding.UTF8.GetBytes(json);
            var bytes = new byte[8 + header.Length + dataLength];
            BitConverter.TryWriteBytes(bytes, (ulong)header.Length);
            header.CopyTo(bytes, 8);
            return bytes;
        });

    [Fact]
    public void SafetensorsReader()
    {
        byte[] valid = File.ReadAllBytes(PyTorchFixtures.PathOf("model_lstm.safetensors"));
        int rejected = FuzzHarness.Run<byte[], SafetensorsException>("safetensors (structured)", SafetensorsHeaders,
            bytes => SafetensorsFile.Parse(bytes, "fuzz.safetensors"), 3000, Seed);
        rejected += FuzzHarness.Run<byte[], SafetensorsException>("safetensors (mutated)", FuzzHarness.Mutations(valid),
            bytes => SafetensorsFile.Parse(bytes, "fuzz.safetensors"), 3000, Seed + 1);
        Report("safetensors reader", 6000, rejected);
    }

    [Fact]
    public void RecurrentCheckpointLoader()
    {
        byte[] valid = File.ReadAllBytes(PyTorchFixtures.PathOf("model_lstm.safetensors"));
        var metadata = Gen.Select(
            Gen.OneOf("arch", "input_size", "hidden_size", "num_layers", "bidirectional", "bias", "gru_variant"),
            Gen.OneOf("0", "1", "2", "3", "-1", "2147483647", "4294967296", "true", "false", "gru", "lstm", "rnn_tanh", "", "1e9"));
        int rejected = FuzzHarness.Run<(string, string)[], SafetensorsException>("recurrent checkpoint (metadata)", metadata.Array[1, 4],
            edits =>
            {
                SafetensorsFile file = SafetensorsFile.Parse(valid, "fuzz.safetensors");
                foreach (var (key, value) in edits) file.Metadata[key] = value;
                RecurrentCheckpoint.Load<float>(file);
            }, 2000, Seed + 2);
        rejected += FuzzHarness.Run<byte[], SafetensorsException>("recurrent checkpoint (mutated)", FuzzHarness.Mutations(valid),
            bytes => RecurrentCheckpoint.Load<float>(SafetensorsFile.Parse(bytes, "fuzz.safetensors")), 2000, Seed + 3);
        Report("recurrent checkpoint loader", 4000, rejected);
    }

    [Fact]
    public void WordVectorReaders()
    {
        byte[] text = Encoding.UTF8.GetBytes("3 4\nking 0.1 0.2 0.3 0.4\nqueen 0.5 -0.25 1e-3 2\nman 1 2 3 4\n");
        var binary = new MemoryStream();
        binary.Write(Encoding.UTF8.GetBytes("2 3\n"));
        foreach (string word in new[] { "king", "queen" })
        {
            binary.Write(Encoding.UTF8.GetBytes(word + " "));
            for (int k = 0; k < 3; k++) binary.Write(BitConverter.GetBytes(0.5f * k - 0.25f));
            binary.WriteByte((byte)'\n');
        }
        string path = Path.Combine(_folder, "vectors");
        int rejected = FuzzHarness.Run<byte[], WordVectorsFormatException>("word2vec text", FuzzHarness.Mutations(text),
            bytes => { File.WriteAllBytes(path, bytes); WordVectors.LoadWord2VecText(path); }, 1500, Seed + 4);
        rejected += FuzzHarness.Run<byte[], WordVectorsFormatException>("GloVe text", FuzzHarness.Mutations(text[4..]),
            bytes => { File.WriteAllBytes(path, bytes); WordVectors.LoadGlove(path); }, 1500, Seed + 5);
        rejected += FuzzHarness.Run<byte[], WordVectorsFormatException>("word2vec binary", FuzzHarness.Mutations(binary.ToArray()),
            bytes => { File.WriteAllBytes(path, bytes); WordVectors.LoadWord2VecBinary(path); }, 1500, Seed + 6);
        var headers = Gen.Select(Gen.OneOf("0", "1", "2", "3", "-1", "2147483647", "4294967296", "x"), Gen.OneOf("0", "1", "3", "2147483647", "-3", "y"));
        rejected += FuzzHarness.Run<(string, string), WordVectorsFormatException>("word2vec headers", headers,
            h =>
            {
                File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes($"{h.Item1} {h.Item2}\n"), .. text[4..]]);
                WordVectors.LoadWord2VecText(path);
                File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes($"{h.Item1} {h.Item2}\n"), .. binary.ToArray()[4..]]);
                WordVectors.LoadWord2VecBinary(path);
            }, 500, Seed + 7);
        Report("word-vector readers", 5000, rejected);
    }

    [Fact]
    public void RegressionACsvLineTheReaderCannotSplitIsNamed()
    {
        // Found by RunFolderResume (case 64): an unbalanced quote made the CSV reader throw a plain Exception.
        var config = new RunConfig { Task = "adding", Hidden = 4, SeqLen = 5, Steps = 2, BatchSize = 4, TrainCount = 16 };
        string run = Path.Combine(_folder, "quote");
        Workbench.Training.RunFolder.Run(Experiment.Create(config), run);
        File.WriteAllText(Path.Combine(run, Workbench.Training.RunFolder.EpochsFile), "epoch,step\n\"0,2\n");
        var e = Assert.Throws<InvalidDataException>(() => Workbench.Training.RunFolder.Run(Experiment.Create(config with { Steps = 3 }), run, resume: true));
        Assert.Contains(Workbench.Training.RunFolder.EpochsFile, e.Message);
    }

    [Fact]
    public void RunFolderResume()
    {
        var config = new RunConfig { Task = "adding", Hidden = 4, SeqLen = 5, Steps = 2, BatchSize = 4, TrainCount = 16 };
        string valid = Path.Combine(_folder, "valid");
        Workbench.Training.RunFolder.Run(Experiment.Create(config), valid);
        var files = Directory.GetFiles(valid).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var contents = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(valid, f)));
        var gen = Gen.Select(Gen.Int[0, files.Length - 1], Gen.Bool).SelectMany((index, delete) =>
            FuzzHarness.Mutations(contents[files[index]]).Select(bytes => (files[index], delete, bytes)));
        string run = Path.Combine(_folder, "run");
        int rejected = FuzzHarness.Run<(string File, bool Delete, byte[] Bytes), InvalidDataException>("run folder", gen,
            damage =>
            {
                if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
                Directory.CreateDirectory(run);
                foreach (var (name, bytes) in contents) File.WriteAllBytes(Path.Combine(run, name), bytes);
                if (damage.Delete) File.Delete(Path.Combine(run, damage.File));
                else File.WriteAllBytes(Path.Combine(run, damage.File), damage.Bytes);
                var before = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);
                try { Workbench.Training.RunFolder.Run(Experiment.Create(config with { Steps = 3 }), run, resume: true); }
                catch (InvalidDataException)
                {
                    // Refused: the folder must be exactly as it was.
                    var after = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);
                    Assert.Equal(before.Keys.Order(), after.Keys.Order());
                    foreach (var (f, b) in before) Assert.True(b.AsSpan().SequenceEqual(after[f]), $"{f} changed although the resume was refused");
                    throw;
                }
            }, 300, Seed + 8);
        Report("run folder (resume)", 300, rejected);
    }
}
