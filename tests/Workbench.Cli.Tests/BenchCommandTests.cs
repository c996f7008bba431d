using Workbench.Cli;

namespace Workbench.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void TinyBenchWritesTheCsvWithTheHeader()
    {
        string folder = Directory.CreateTempSubdirectory("bench-test-").FullName;
        try
        {
            string csv = Path.Combine(folder, "bench.csv");
            // A short warm-up limit keeps the test quick; whether a cell settled is in the last column either way.
            int exit = Program.BuildRoot().Parse(["bench", "--shapes", "tiny", "--reps", "1", "--max-warmup", "2", "--csv", csv]).Invoke();
            Assert.Equal(0, exit);
            string[] lines = File.ReadAllLines(csv);
            Assert.Equal("model,shape,mode,tokens_per_s,gflops,allocs_per_step,gemm_peak_gflops,settled", lines[0]);
            // Four models in training, then the four in inference, each with a positive rate.
            Assert.Equal(["rnn,tiny,train", "gru,tiny,train", "lstm,tiny,train", "bigru,tiny,train",
                    "rnn,tiny,infer", "gru,tiny,infer", "lstm,tiny,infer", "bigru,tiny,infer"],
                lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(3))));
            foreach (string line in lines.Skip(1))
            {
                string[] fields = line.Split(',');
                Assert.True(double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) > 0, line);
                Assert.True(long.Parse(fields[5], System.Globalization.CultureInfo.InvariantCulture) >= 0, line);
                Assert.True(double.Parse(fields[6], System.Globalization.CultureInfo.InvariantCulture) > 0, line);
                Assert.Contains(fields[7], new[] { "0", "1" });
            }
            Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ModesSelectTheCells()
    {
        string folder = Directory.CreateTempSubdirectory("bench-test-").FullName;
        try
        {
            string csv = Path.Combine(folder, "bench.csv");
            int exit = Program.BuildRoot().Parse(["bench", "--models", "gru,rnn", "--shapes", "tiny", "--modes", "infer", "--reps", "1", "--max-warmup", "1", "--csv", csv]).Invoke();
            Assert.Equal(0, exit);
            Assert.Equal(["gru,tiny,infer", "rnn,tiny,infer"], File.ReadAllLines(csv).Skip(1).Select(l => string.Join(',', l.Split(',').Take(3))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void InferenceRunsForLstmRnnAndBigruWithoutGru()
    {
        string folder = Directory.CreateTempSubdirectory("bench-test-").FullName;
        try
        {
            string csv = Path.Combine(folder, "bench.csv");
            int exit = Program.BuildRoot().Parse(["bench", "--models", "lstm,rnn,bigru", "--shapes", "tiny", "--modes", "infer", "--reps", "1", "--max-warmup", "1", "--csv", csv]).Invoke();
            Assert.Equal(0, exit);
            string[][] rows = [.. File.ReadAllLines(csv).Skip(1).Select(l => l.Split(','))];
            Assert.Equal(["lstm,tiny,infer", "rnn,tiny,infer", "bigru,tiny,infer"], rows.Select(f => string.Join(',', f.Take(3))));
            foreach (string[] fields in rows)
                Assert.True(double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join(',', fields));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--models", "rnn,transformer")]
    [InlineData("--modes", "eval")]
    [InlineData("--max-warmup", "0")]
    [InlineData("--shapes", "huge")]
    [InlineData("--shapes", "64x128x0x100")]
    [InlineData("--reps", "0")]
    public void BadOptionsAreUsageErrors(string option, string value)
    {
        string[] args = option == "--shapes" ? ["bench", option, value] : ["bench", option, value, "--shapes", "tiny"];
        int exit = Program.BuildRoot().Parse(args).Invoke();
        Assert.Equal(Program.UsageError, exit);
    }
}
