using System.Globalization;
using System.Text;
using MathNet.Numerics.Distributions;

namespace Workbench.Embeddings;

/// <summary>gensim 4.2's evaluate_word_analogies and evaluate_word_pairs, step for step (see the public wrappers).</summary>
internal static class WordVectorsEvaluator
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    /// <summary>ok_vocab: (upper-cased) word → row for the first restrictVocab rows; the first case variant wins.</summary>
    private static Dictionary<string, int> OkVocabulary(WordVectors vectors, int restrictVocab, bool caseInsensitive)
    {
        int end = Math.Min(Math.Max(restrictVocab, 0), vectors.Count);
        var ok = new Dictionary<string, int>(end, StringComparer.Ordinal);
        for (int i = 0; i < end; i++)
        {
            string key = caseInsensitive ? WordVectors.PythonUpper(vectors.Words[i]) : vectors.Words[i];
            ok.TryAdd(key, i);
        }
        return ok;
    }

    private static List<string> ReadLinesStrict(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var lines = new List<string>();
        int start = 0, number = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            int stop = end < 0 ? bytes.Length : end + 1;
            number++;
            try { lines.Add(StrictUtf8.GetString(bytes, start, stop - start)); }
            catch (DecoderFallbackException e)
            {
                throw new FormatException($"{path}:{number} (byte offset {start}): invalid UTF-8.", e);
            }
            start = stop;
        }
        return lines;
    }

    private static readonly char[] Whitespace = [' ', '\t', '\n', '\r', '\v', '\f', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];

    public static AnalogyEvaluation Analogies(WordVectors vectors, string path, int restrictVocab, bool caseInsensitive, bool dummy4unknown)
    {
        var ok = OkVocabulary(vectors, restrictVocab, caseInsensitive);
        List<string> lines = ReadLinesStrict(path);
        var sections = new List<(string Name, List<(int Line, string[] Words, bool Oov)> Items)>();
        int questions = 0, oov = 0;
        for (int lineNo = 0; lineNo < lines.Count; lineNo++)
        {
            string line = lines[lineNo];
            if (line.StartsWith(": ", StringComparison.Ordinal))
            {
                sections.Add((line.TrimStart(':', ' ').Trim(Whitespace), []));
                continue;
            }
            if (sections.Count == 0)
                throw new FormatException($"{path}:{lineNo + 1}: missing ': section' header before this line.");
            string[] words = line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 4) continue; // gensim skips invalid lines
            if (caseInsensitive) words = words.Select(WordVectors.PythonUpper).ToArray();
            questions++;
            bool isOov = words.Any(w => !ok.ContainsKey(w));
            if (isOov)
            {
                oov++;
                if (!dummy4unknown) continue;
            }
            sections[^1].Items.Add((lineNo, words, isOov));
        }

        // Questions are independent: answer them in parallel, keep file order for the report.
        _ = vectors.Unit; // build the normalized table once, before the threads share it
        var all = sections.SelectMany((s, si) => s.Items.Select(item => (Section: si, item.Words, item.Oov))).ToArray();
        var answers = new (bool Correct, string? Predicted)[all.Length];
        Parallel.For(0, all.Length, q =>
        {
            var (_, w, isOov) = all[q];
            if (isOov) { answers[q] = (false, null); return; }
            int a = ok[w[0]], b = ok[w[1]], c = ok[w[2]];
            var sims = vectors.MostSimilarRows([b, c], [a], 5, restrictVocab);
            string? predicted = null;
            foreach (var sim in sims)
            {
                predicted = caseInsensitive ? WordVectors.PythonUpper(sim.Word) : sim.Word;
                if (ok.ContainsKey(predicted) && predicted != w[0] && predicted != w[1] && predicted != w[2]) break;
            }
            answers[q] = (predicted == w[3], predicted);
        });

        var result = new List<AnalogySection>();
        var totalCorrect = new List<AnalogyQuestion>();
        var totalIncorrect = new List<AnalogyQuestion>();
        int index = 0;
        foreach (var (name, items) in sections)
        {
            var correct = new List<AnalogyQuestion>();
            var incorrect = new List<AnalogyQuestion>();
            foreach (var (_, w, _) in items)
            {
                var (isCorrect, predicted) = answers[index++];
                var question = new AnalogyQuestion(w[0], w[1], w[2], w[3], predicted);
                (isCorrect ? correct : incorrect).Add(question);
            }
            result.Add(new AnalogySection(name, correct, incorrect));
            totalCorrect.AddRange(correct);
            totalIncorrect.AddRange(incorrect);
        }
        return new AnalogyEvaluation(result, new AnalogySection("Total accuracy", totalCorrect, totalIncorrect), questions, oov);
    }

    public static WordPairEvaluation WordPairs(WordVectors vectors, string path, char delimiter, int restrictVocab, bool caseInsensitive, bool dummy4unknown)
    {
        var ok = OkVocabulary(vectors, restrictVocab, caseInsensitive);
        var gold = new List<double>();
        var model = new List<double>();
        int oov = 0;
        // Python's text mode: universal newlines, so "\r\n" ends a line like "\n".
        string text;
        try { text = StrictUtf8.GetString(File.ReadAllBytes(path)); }
        catch (DecoderFallbackException e) { throw new FormatException($"{path}: invalid UTF-8.", e); }
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        foreach (string raw in text.Split('\n'))
        {
            if (raw.Length == 0 || raw.StartsWith('#')) continue;
            string[] parts = raw.Split(delimiter);
            if (parts.Length != 3) continue;
            if (!double.TryParse(parts[2].Trim(Whitespace), NumberStyles.Float, CultureInfo.InvariantCulture, out double sim)) continue;
            string a = caseInsensitive ? WordVectors.PythonUpper(parts[0]) : parts[0];
            string b = caseInsensitive ? WordVectors.PythonUpper(parts[1]) : parts[1];
            if (!ok.TryGetValue(a, out int ia) || !ok.TryGetValue(b, out int ib))
            {
                oov++;
                if (dummy4unknown) { model.Add(0.0); gold.Add(sim); }
                continue;
            }
            gold.Add(sim);
            // gensim: dot(unitvec(a), unitvec(b)) in float32.
            model.Add((float)WordVectors.CosineSimilarity(vectors.RawRow(ia), vectors.RawRow(ib)));
        }
        if (gold.Count == 0)
            throw new InvalidOperationException($"No valid similarity judgements found in {path}: either invalid format or all are out of vocabulary.");
        double pearson = Pearson(gold, model);
        double spearman = Pearson(Ranks(gold), Ranks(model));
        double oovRatio = dummy4unknown ? 100.0 * oov / gold.Count : 100.0 * oov / (gold.Count + oov);
        return new WordPairEvaluation(pearson, PValue(pearson, gold.Count), spearman, PValue(spearman, gold.Count), oovRatio, gold.Count, oov);
    }

    /// <summary>Pearson's r in double, centred then normalized as scipy does; clipped to [−1, 1].</summary>
    internal static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy)), -1.0, 1.0);
    }

    /// <summary>1-based ranks with ties given their average rank (scipy.stats.rankdata 'average').</summary>
    internal static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            double average = (start + end) / 2.0 + 1.0;
            for (int k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>Two-sided p-value of a correlation r from n pairs (Student's t with n − 2 degrees of freedom).</summary>
    internal static double PValue(double r, int n)
    {
        if (double.IsNaN(r) || n < 3) return n < 3 ? 1.0 : double.NaN;
        if (Math.Abs(r) >= 1.0) return 0.0;
        double df = n - 2;
        double t = Math.Abs(r) * Math.Sqrt(df / ((1 - r) * (1 + r)));
        return 2.0 * StudentT.CDF(0, 1, df, -t);
    }
}
