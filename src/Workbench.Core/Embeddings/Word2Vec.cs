// Over 400 lines on purpose: skip-gram and CBOW share the corpus pass, subsampling, negative sampling, the learning
// rate decay and the thread split exactly as gensim and word2vec.c do them; kept together so that every number
// matches theirs is checked in one place. Options, the vector table, its files and its evaluation are separate files.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Workbench.IO;

namespace Workbench.Embeddings;

/// <summary>
/// word2vec with negative sampling (Mikolov et al., 2013), skip-gram or CBOW, trained the way word2vec.c and gensim
/// do: a vocabulary cut at MinCount, sub-sampling of frequent words, a unigram^0.75 noise distribution, a dynamic
/// window, a learning rate decaying linearly to MinAlpha, and lock-free (Hogwild) updates from several threads that
/// each own a slice of the corpus. With one thread the result is a pure function of corpus, options and seed.
/// </summary>
public static class Word2Vec
{
    private const int MaxExp = 6;
    private const int ExpTableSize = 1000;
    private const int MaxSentenceLength = 10000;
    private static readonly float[] SigmoidTable = BuildSigmoidTable();

    private static float[] BuildSigmoidTable()
    {
        var table = new float[ExpTableSize];
        for (int i = 0; i < ExpTableSize; i++)
        {
            double e = Math.Exp((i / (double)ExpTableSize * 2 - 1) * MaxExp);
            table[i] = (float)(e / (e + 1));
        }
        return table;
    }

    /// <summary>
    /// Trains on the lines of a text file (words separated by whitespace; a line longer than 10,000 words is cut into
    /// 10,000-word sentences, as gensim's LineSentence does).
    /// </summary>
    public static WordVectors TrainFile(string corpusPath, Word2VecOptions options, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(ReadSentences(corpusPath), options, progress, cancellationToken);

    /// <summary>The sentences of a corpus file: whitespace-separated words per line, at most 10,000 words per sentence.</summary>
    public static IEnumerable<string[]> ReadSentences(string corpusPath)
    {
        if (!File.Exists(corpusPath)) throw new FileNotFoundException($"Corpus file not found: {corpusPath}", corpusPath);
        return ReadSentencesIterator(corpusPath);
    }

    private static IEnumerable<string[]> ReadSentencesIterator(string corpusPath)
    {
        using var reader = new StreamReader(corpusPath, AtomicFile.Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var words = new List<string>(MaxSentenceLength);
        var word = new System.Text.StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (char.IsWhiteSpace((char)c))
            {
                if (word.Length > 0) { words.Add(word.ToString()); word.Clear(); }
                if (words.Count == MaxSentenceLength || (c == '\n' && words.Count > 0)) { yield return words.ToArray(); words.Clear(); }
            }
            else word.Append((char)c);
        }
        if (word.Length > 0) words.Add(word.ToString());
        if (words.Count > 0) yield return words.ToArray();
    }

    /// <summary>
    /// Trains word vectors on <paramref name="sentences"/>. Progress (fraction, words/s, alpha) goes to
    /// <paramref name="progress"/> a few times per second; <paramref name="cancellationToken"/> is checked at least every
    /// few milliseconds of work and stops training with an <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The corpus is too small for the settings (the message says why).</exception>
    public static WordVectors Train(IEnumerable<IReadOnlyList<string>> sentences, Word2VecOptions options,
        IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // 1. Count and encode in one pass (provisional ids in first-seen order).
        var provisional = new Dictionary<string, int>(StringComparer.Ordinal);
        var rawCounts = new List<long>();
        var encoded = new List<int[]>();
        long corpusWords = 0;
        foreach (var sentence in sentences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int start = 0; start < sentence.Count; start += MaxSentenceLength)
            {
                int length = Math.Min(MaxSentenceLength, sentence.Count - start);
                var ids = new int[length];
                for (int i = 0; i < length; i++)
                {
                    string w = sentence[start + i];
                    if (!provisional.TryGetValue(w, out int id)) { id = provisional.Count; provisional[w] = id; rawCounts.Add(0); }
                    rawCounts[id]++;
                    ids[i] = id;
                }
                encoded.Add(ids);
                corpusWords += length;
            }
        }

        // 2. Vocabulary: count ≥ MinCount, most frequent first (ties: first seen first, as gensim's stable sort).
        var provisionalWords = new string[provisional.Count];
        foreach (var kv in provisional) provisionalWords[kv.Value] = kv.Key;
        var kept = Enumerable.Range(0, provisionalWords.Length).Where(i => rawCounts[i] >= options.MinCount)
            .OrderByDescending(i => rawCounts[i]).ThenBy(i => i).Take(options.MaxVocabularySize ?? int.MaxValue).ToArray();
        if (corpusWords == 0)
            throw new InvalidOperationException("The corpus is empty: there is nothing to train on.");
        if (kept.Length == 0)
            throw new InvalidOperationException(
                $"The vocabulary is empty: none of the corpus's {provisionalWords.Length} distinct words ({corpusWords} words in all) occurs at least min-count = {options.MinCount} times. Lower min-count or use a larger corpus.");
        var remap = new int[provisionalWords.Length];
        Array.Fill(remap, -1);
        for (int i = 0; i < kept.Length; i++) remap[kept[i]] = i;
        string[] words = kept.Select(i => provisionalWords[i]).ToArray();
        long[] counts = kept.Select(i => rawCounts[i]).ToArray();

        var corpus = new List<int[]>(encoded.Count);
        long retained = 0;
        foreach (int[] ids in encoded)
        {
            int[] mapped = ids.Select(id => remap[id]).Where(id => id >= 0).ToArray();
            if (mapped.Length > 0) { corpus.Add(mapped); retained += mapped.Length; }
        }
        encoded.Clear();
        if (retained <= options.Window)
            throw new InvalidOperationException(
                $"The corpus is too small for the settings: {retained} words remain after min-count = {options.MinCount}, not more than the window ({options.Window}). Use a larger corpus, a smaller window or a lower min-count.");
        if (words.Length < 2)
            throw new InvalidOperationException($"The vocabulary holds a single word ('{words[0]}') after min-count = {options.MinCount}: negative sampling needs at least two.");

        var state = new TrainingState(options, words.Length, counts, retained);
        return state.Run(corpus, words, counts, progress, cancellationToken);
    }

    /// <summary>
    /// gensim's tables for a vocabulary sorted by count: the sub-sampling threshold of each word as a 32-bit integer
    /// (keep probability (√(c/t) + 1)·t/c, t = sample × retained words, or t = ⌊sample·(3 + √5)/2⌋ when sample ≥ 1,
    /// capped at 1, times 2³² − 1, truncated) and the cumulative noise table (c^exponent, scaled to 2³¹ − 1, rounded).
    /// </summary>
    internal static (uint[] SampleInt, uint[] CumulativeTable) SamplingTables(IReadOnlyList<long> counts, double sample, double exponent)
    {
        int n = counts.Count;
        double retained = 0;
        foreach (long c in counts) retained += c;
        double threshold = sample <= 0 ? retained : sample < 1.0 ? sample * retained : Math.Floor(sample * (3 + Math.Sqrt(5)) / 2);
        var keep = new uint[n];
        for (int i = 0; i < n; i++)
        {
            double p = (Math.Sqrt(counts[i] / threshold) + 1) * (threshold / counts[i]);
            keep[i] = (uint)(Math.Min(p, 1.0) * uint.MaxValue);
        }
        const double domain = int.MaxValue;
        double total = 0;
        foreach (long c in counts) total += Math.Pow(c, exponent);
        var cumulative = new uint[n];
        double running = 0;
        for (int i = 0; i < n; i++)
        {
            running += Math.Pow(counts[i], exponent);
            cumulative[i] = (uint)Math.Round(running / total * domain, MidpointRounding.ToEven);
        }
        return (keep, cumulative);
    }

    private sealed class TrainingState
    {
        private readonly Word2VecOptions _o;
        private readonly int _dim;
        private readonly float[] _syn0;
        private readonly float[] _syn1;
        private readonly uint[] _keep;       // sub-sampling: keep when keep ≥ a random 32-bit draw (gensim's sample_int)
        private readonly NoiseSampler _noise;
        private readonly long _totalWords;   // retained words per epoch
        private long _processed;             // all threads, all epochs
        private int _nextItem;               // work queue: item k is sentence k mod S of epoch k / S
        private int[] _threadEpoch = [];

        public TrainingState(Word2VecOptions options, int vocabSize, long[] counts, long retained)
        {
            _o = options;
            _dim = options.VectorSize;
            _totalWords = retained;
            _syn0 = new float[(long)vocabSize * _dim];
            _syn1 = new float[(long)vocabSize * _dim];
            // Uniform in [−1, 1)/dim as gensim 4 (word2vec.c: [−0.5, 0.5)/dim), from the generator's high 32 bits: the low 16 bits (which
            // word2vec.c uses) repeat every 65,536 draws, which would give distant words correlated starting vectors.
            ulong random = options.Seed;
            for (int i = 0; i < _syn0.Length; i++)
            {
                random = NextRandom(random);
                _syn0[i] = (float)((((random >> 16) & 0xFFFFFFFF) / 4294967296.0 * 2 - 1) / _dim);
            }
            (_keep, uint[] cumulative) = SamplingTables(counts, options.Sample, options.NoiseExponent);
            _noise = new NoiseSampler(cumulative);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong NextRandom(ulong r) => (r * 25214903917UL + 11) & 0xFFFFFFFFFFFFUL;

        private double AlphaAt(long processed)
        {
            double fraction = Math.Min(1.0, processed / ((double)_totalWords * _o.Epochs));
            return _o.Alpha - (_o.Alpha - _o.MinAlpha) * fraction;
        }

        public WordVectors Run(List<int[]> corpus, string[] words, long[] counts, IProgress<Word2VecProgress>? progress, CancellationToken token)
        {
            // Threads take the next 10,000-word sentence from one shared queue (epoch after epoch), as gensim's workers
            // take jobs: a thread that the machine slows down does not leave the others idle at the end, which fixed
            // equal slices did. One thread takes the sentences in corpus order, so it stays a pure function of the seed.
            int threads = Math.Max(1, Math.Min(_o.Threads, corpus.Count));
            if ((long)corpus.Count * _o.Epochs > int.MaxValue)
                throw new InvalidOperationException($"The corpus has {corpus.Count} sentences × {_o.Epochs} epochs, more than {int.MaxValue} work items.");
            _threadEpoch = new int[threads];

            var clock = Stopwatch.StartNew();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var workers = new Task[threads];
            for (int k = 0; k < threads; k++)
            {
                int id = k;
                workers[k] = Task.Factory.StartNew(() => Work(corpus, id, stop.Token),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            try
            {
                while (!Task.WaitAll(workers, 200))
                {
                    if (workers.Any(w => w.IsFaulted)) break;
                    progress?.Report(Snapshot(clock.Elapsed));
                }
                Task.WaitAll(workers);
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                token.ThrowIfCancellationRequested();
                throw;
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                stop.Cancel();
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            catch
            {
                // A progress handler threw, or a worker failed: stop the others before leaving.
                stop.Cancel();
                try { Task.WaitAll(workers); } catch (AggregateException) { }
                throw;
            }
            token.ThrowIfCancellationRequested();
            progress?.Report(Snapshot(clock.Elapsed) with { Fraction = 1.0 });
            return new WordVectors(words, _syn0, _dim, counts);
        }

        private Word2VecProgress Snapshot(TimeSpan elapsed)
        {
            long processed = Interlocked.Read(ref _processed);
            double fraction = Math.Min(1.0, processed / ((double)_totalWords * _o.Epochs));
            int epoch = Math.Min(_threadEpoch.Min() + 1, _o.Epochs);
            double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
            return new Word2VecProgress(fraction, epoch, processed, processed / seconds, AlphaAt(processed), elapsed);
        }

        // Compiled fully optimised at once: this loop runs for the whole training, and the tiered JIT would otherwise
        // run it as on-stack-replaced code entered from unoptimised code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void Work(List<int[]> corpus, int threadId, CancellationToken token)
        {
            ulong random = _o.Seed + (ulong)threadId;
            int dim = _dim, window = _o.Window, negative = _o.Negative;
            var windowDraw = new FastModulo((uint)window);
            bool skipGram = _o.Architecture == Word2VecArchitecture.SkipGram, cbowMean = _o.CbowMean;
            int sentences = corpus.Count, items = sentences * _o.Epochs;
            var sentence = new int[MaxSentenceLength];
            // neu1 and neu1e in one block with a cache line of slack at each end: no other thread's data shares their lines.
            int stride = (dim + 15) & ~15;
            var scratch = new float[2 * stride + 32];
            uint[] keep = _keep;
            NoiseSampler noise = _noise;
            // Read once here: a fully optimised method reads a static through a helper call each time.
            float[] sigmoid = SigmoidTable;
            fixed (float* syn0 = _syn0, syn1 = _syn1, block = scratch)
            {
                float* neu1 = block + 16, neu1e = block + 16 + stride;
                int item;
                while ((item = Interlocked.Increment(ref _nextItem) - 1) < items)
                {
                    token.ThrowIfCancellationRequested();
                    int epoch = item / sentences;
                    if (_threadEpoch[threadId] != epoch) _threadEpoch[threadId] = epoch;
                    int[] raw = corpus[item - epoch * sentences];
                    float alpha = (float)AlphaAt(Interlocked.Read(ref _processed));
                    int length = 0;
                    foreach (int w in raw)
                    {
                        random = NextRandom(random);
                        if (keep[w] < (uint)(random >> 16)) continue;
                        sentence[length++] = w;
                    }
                    for (int i = 0; i < length; i++)
                    {
                        if ((i & 1023) == 1023) token.ThrowIfCancellationRequested();
                        random = NextRandom(random);
                        int b = (int)windowDraw.Of((uint)(random >> 16));
                        int start = Math.Max(0, i - window + b), end = Math.Min(length, i + window + 1 - b);
                        int center = sentence[i];
                        if (skipGram)
                        {
                            for (int j = start; j < end; j++)
                            {
                                if (j == i) continue;
                                float* l1 = syn0 + (long)sentence[j] * dim;
                                new Span<float>(neu1e, dim).Clear();
                                random = Negatives(syn1, l1, neu1e, dim, center, alpha, negative, noise, sigmoid, random);
                                Word2VecKernels.Add(l1, neu1e, dim);
                            }
                        }
                        else
                        {
                            new Span<float>(neu1, dim).Clear();
                            int count = 0;
                            for (int j = start; j < end; j++)
                            {
                                if (j == i) continue;
                                Word2VecKernels.Add(neu1, syn0 + (long)sentence[j] * dim, dim);
                                count++;
                            }
                            if (count == 0) continue;
                            if (cbowMean) Word2VecKernels.Divide(neu1, count, dim);
                            new Span<float>(neu1e, dim).Clear();
                            random = Negatives(syn1, neu1, neu1e, dim, center, alpha, negative, noise, sigmoid, random);
                            // gensim: the summed (not averaged) input shares its error among the context words.
                            if (!cbowMean) Word2VecKernels.Divide(neu1e, count, dim);
                            for (int j = start; j < end; j++)
                            {
                                if (j == i) continue;
                                Word2VecKernels.Add(syn0 + (long)sentence[j] * dim, neu1e, dim);
                            }
                        }
                    }
                    // Once per sentence, not per word: the shared counter's cache line moves between cores only this often.
                    Interlocked.Add(ref _processed, raw.Length);
                }
                _threadEpoch[threadId] = _o.Epochs;
            }
        }

        /// <summary>One positive and <paramref name="negative"/> noise targets for input <paramref name="l1"/>; accumulates the input's gradient in <paramref name="neu1e"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe ulong Negatives(float* syn1, float* l1, float* neu1e, int dim, int target, float alpha,
            int negative, NoiseSampler noise, float[] sigmoid, ulong random)
        {
            ref float sigmoidTable = ref MemoryMarshal.GetArrayDataReference(sigmoid);
            for (int d = 0; d <= negative; d++)
            {
                int word;
                float label;
                if (d == 0) { word = target; label = 1f; }
                else
                {
                    random = NextRandom(random);
                    word = noise.Sample((uint)(random >> 16));
                    if (word == target) continue;
                    label = 0f;
                }
                float* row = syn1 + (long)word * dim;
                float f = Word2VecKernels.Dot(l1, row, dim);
                if (f <= -MaxExp || f >= MaxExp) continue; // saturated: gensim skips the update
                // f in (−6, 6) puts the index in [0, 996]: no bounds check needed.
                float predicted = Unsafe.Add(ref sigmoidTable, (int)((f + MaxExp) * (ExpTableSize / MaxExp / 2)));
                float g = (label - predicted) * alpha;
                Word2VecKernels.Update(row, l1, neu1e, g, dim);
            }
            return random;
        }
    }
}
