using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Workbench.Data;
using Workbench.Embeddings;

namespace Workbench.Cli.Commands;

/// <summary>The <c>embeddings</c> verb: train, eval, query, generate-corpus.</summary>
internal static class EmbeddingsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("embeddings", "Train, evaluate and query word vectors.");
        command.Subcommands.Add(CreateTrain());
        command.Subcommands.Add(CreateEval());
        command.Subcommands.Add(CreateQuery());
        command.Subcommands.Add(CreateGenerateCorpus());
        return command;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="body"/>; input errors become one line on stderr and exit code 1.</summary>
    private static int Guard(string verb, Func<int> body)
    {
        try { return body(); }
        // Missing files and folders given for files are not caught here: the common path reports them (exit 2).
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or IOException
                                  && e is not (FileNotFoundException or DirectoryNotFoundException))
        {
            Console.Error.WriteLine($"workbench embeddings {verb}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"workbench embeddings {verb}: cancelled");
            return 130;
        }
    }

    private static Command CreateTrain()
    {
        var corpus = new Option<string>("--corpus") { Description = "Text file: whitespace-separated words, one sentence per line.", Required = true };
        var output = new Option<string>("--out") { Description = "Output vectors: word2vec text, or binary when the name ends in .bin.", Required = true };
        var sg = new Option<bool>("--sg") { Description = "Skip-gram (the default)." };
        var cbow = new Option<bool>("--cbow") { Description = "CBOW instead of skip-gram." };
        var dim = new Option<int>("--dim") { Description = "Vector size.", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Maximum context distance.", DefaultValueFactory = _ => 5 };
        var negative = new Option<int>("--negative") { Description = "Noise words per example.", DefaultValueFactory = _ => 5 };
        var minCount = new Option<int>("--min-count") { Description = "Drop words seen fewer times.", DefaultValueFactory = _ => 5 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the corpus.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (1 = deterministic).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var sample = new Option<double>("--sample") { Description = "Sub-sampling threshold (0 disables).", DefaultValueFactory = _ => 1e-3 };
        var alpha = new Option<double>("--alpha") { Description = "Initial learning rate.", DefaultValueFactory = _ => 0.025 };
        var command = new Command("train", "Train word2vec (negative sampling) on a corpus.");
        foreach (Option o in new Option[] { corpus, output, sg, cbow, dim, window, negative, minCount, epochs, threads, seed, sample, alpha }) command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Guard("train", () =>
        {
            if (parse.GetValue(sg) && parse.GetValue(cbow)) throw new ArgumentException("Choose --sg or --cbow, not both.");
            var options = new Word2VecOptions
            {
                Architecture = parse.GetValue(cbow) ? Word2VecArchitecture.Cbow : Word2VecArchitecture.SkipGram,
                VectorSize = parse.GetValue(dim), Window = parse.GetValue(window), Negative = parse.GetValue(negative),
                MinCount = parse.GetValue(minCount), Epochs = parse.GetValue(epochs), Threads = parse.GetValue(threads),
                Seed = parse.GetValue(seed), Sample = parse.GetValue(sample), Alpha = parse.GetValue(alpha),
            };
            options.Validate();
            string corpusPath = parse.GetValue(corpus)!, outPath = parse.GetValue(output)!;
            Console.Out.WriteLine($"training {(options.Architecture == Word2VecArchitecture.SkipGram ? "skip-gram" : "CBOW")} on {corpusPath}: dim {options.VectorSize}, window {options.Window}, negative {options.Negative}, min-count {options.MinCount}, epochs {options.Epochs}, threads {options.Threads}, seed {options.Seed}");
            var clock = Stopwatch.StartNew();
            WordVectors vectors;
            Word2VecProgress last = default;
            bool fancy = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            if (fancy)
            {
                WordVectors? trained = null;
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("word2vec", maxValue: 1.0);
                        var progress = new SynchronousProgress(p =>
                        {
                            last = p;
                            task.Value = p.Fraction;
                            task.Description = $"epoch {p.Epoch}/{options.Epochs}  {F(p.WordsPerSecond, "N0")} words/s  alpha {F(p.Alpha, "F5")}";
                        });
                        trained = Word2Vec.TrainFile(corpusPath, options, progress, cancellationToken);
                    });
                vectors = trained!;
            }
            else
            {
                var lastPrint = Stopwatch.StartNew();
                var progress = new SynchronousProgress(p =>
                {
                    last = p;
                    if (lastPrint.Elapsed.TotalSeconds < 1 && p.Fraction < 1) return;
                    lastPrint.Restart();
                    Console.Out.WriteLine($"progress {F(100 * p.Fraction, "F1")}%  epoch {p.Epoch}/{options.Epochs}  alpha {F(p.Alpha, "F5")}  {F(p.WordsPerSecond, "F0")} words/s");
                });
                vectors = Word2Vec.TrainFile(corpusPath, options, progress, cancellationToken);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            if (outPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)) vectors.SaveWord2VecBinary(outPath);
            else vectors.SaveWord2VecText(outPath);
            Console.Out.WriteLine($"vocabulary {vectors.Count} words, {last.WordsProcessed} words trained in {F(last.Elapsed.TotalSeconds, "F2")} s: {F(last.WordsPerSecond, "F0")} words/s");
            Console.Out.WriteLine($"wrote {outPath} ({F(seconds, "F2")} s in all)");
            return 0;
        })));
        return command;
    }

    /// <summary>IProgress that runs the handler on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<Word2VecProgress> handler) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => handler(value);
    }

    private static Command CreateEval()
    {
        var vectorsPath = new Option<string>("--vectors") { Description = "Vectors (GloVe, word2vec text or binary; detected).", Required = true };
        var analogies = new Option<string?>("--analogies") { Description = "Analogy questions (': section' headers, 4 words per line)." };
        var similarity = new Option<string?>("--similarity") { Description = "Word pairs with scores (word1 TAB word2 TAB score; # comments)." };
        var restrict = new Option<int>("--restrict") { Description = "Use only the N first (most frequent) words.", DefaultValueFactory = _ => 300000 };
        var command = new Command("eval", "Evaluate vectors with gensim's protocol (analogies and word similarity).");
        foreach (Option o in new Option[] { vectorsPath, analogies, similarity, restrict }) command.Options.Add(o);
        command.SetAction(parse => Guard("eval", () =>
        {
            string? analogyPath = parse.GetValue(analogies), similarityPath = parse.GetValue(similarity);
            if (analogyPath is null && similarityPath is null) throw new ArgumentException("Give --analogies FILE and/or --similarity FILE.");
            int n = parse.GetValue(restrict);
            if (n < 1) throw new ArgumentException($"--restrict must be at least 1 (got {n}).");
            var vectors = WordVectors.Load(parse.GetValue(vectorsPath)!);
            Console.Out.WriteLine($"{vectors.Count} words × {vectors.Dimension} from {parse.GetValue(vectorsPath)}; restrict {n}");
            if (analogyPath is not null)
            {
                var result = vectors.EvaluateWordAnalogies(analogyPath, n);
                int width = Math.Max(14, result.Sections.Select(s => s.Name.Length).DefaultIfEmpty(0).Max());
                Console.Out.WriteLine($"{"section".PadRight(width)}  {"correct",8}  {"total",8}  {"accuracy",8}");
                foreach (var s in result.Sections)
                    Console.Out.WriteLine($"{s.Name.PadRight(width)}  {s.Correct.Count,8}  {s.Evaluated,8}  {F(100 * s.Accuracy, "F1"),7}%");
                Console.Out.WriteLine($"Total accuracy: {F(100 * result.Accuracy, "F1")}% ({result.Total.Correct.Count}/{result.Total.Evaluated})");
                Console.Out.WriteLine($"Questions with out-of-vocabulary words: {F(result.OutOfVocabularyRatio, "F1")}% ({result.OutOfVocabulary} of {result.Questions}, skipped)");
            }
            if (similarityPath is not null)
            {
                var r = vectors.EvaluateWordPairs(similarityPath, restrictVocab: n);
                Console.Out.WriteLine($"Word pairs {similarityPath}: Pearson {F(r.Pearson, "F4")} (p = {r.PearsonPValue.ToString("G3", CultureInfo.InvariantCulture)}), Spearman {F(r.Spearman, "F4")} (p = {r.SpearmanPValue.ToString("G3", CultureInfo.InvariantCulture)}), pairs with unknown words {F(r.OutOfVocabularyRatio, "F1")}% ({r.PairsOutOfVocabulary} of {r.PairsUsed + r.PairsOutOfVocabulary})");
            }
            return 0;
        }));
        return command;
    }

    private static Command CreateQuery()
    {
        var vectorsPath = new Option<string>("--vectors") { Description = "Vectors (GloVe, word2vec text or binary; detected).", Required = true };
        var top = new Option<int>("--top") { Description = "How many neighbours.", DefaultValueFactory = _ => 10 };
        var cosMul = new Option<bool>("--cosmul") { Description = "Rank with 3CosMul instead of 3CosAdd." };
        var expression = new Argument<string>("expression") { Description = "A word, or word arithmetic such as \"king - man + woman\"." };
        var command = new Command("query", "Nearest words of a word or of word arithmetic.");
        command.Options.Add(vectorsPath);
        command.Options.Add(top);
        command.Options.Add(cosMul);
        command.Arguments.Add(expression);
        command.SetAction(parse => Guard("query", () =>
        {
            var query = VectorExpression.Parse(parse.GetValue(expression)!);
            var vectors = WordVectors.Load(parse.GetValue(vectorsPath)!);
            var results = parse.GetValue(cosMul)
                ? vectors.MostSimilarCosMul(query.Positive, query.Negative, parse.GetValue(top))
                : vectors.MostSimilar(query.Positive, query.Negative, parse.GetValue(top));
            Console.Out.WriteLine(query.ToString());
            foreach (var r in results) Console.Out.WriteLine($"{r.Word}\t{F(r.Similarity, "F4")}");
            return 0;
        }));
        return command;
    }

    private static Command CreateGenerateCorpus()
    {
        var output = new Option<string>("--out") { Description = "Output text file.", Required = true };
        var sentences = new Option<int>("--sentences") { Description = "Number of sentences.", DefaultValueFactory = _ => 30000 };
        var seed = new Option<ulong>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 2026UL };
        var command = new Command("generate-corpus", "Write the synthetic royal corpus (king − man + woman ≈ queen).");
        command.Options.Add(output);
        command.Options.Add(sentences);
        command.Options.Add(seed);
        command.SetAction(parse => Guard("generate-corpus", () =>
        {
            RoyalCorpusGenerator.Write(parse.GetValue(output)!, parse.GetValue(sentences), parse.GetValue(seed));
            Console.Out.WriteLine($"wrote {parse.GetValue(sentences)} sentences to {parse.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
