namespace Workbench.Datasets;

/// <summary>
/// The public data sets the notebooks use, each with the address that serves it and the SHA-256 of its bytes
/// (addresses pinned to one commit, so that the bytes, and so the checksum, cannot change under them).
/// </summary>
/// <remarks>
/// Two entries are cuts of archives too large for this project's sources: <see cref="GloVe6B50d"/> and
/// <see cref="Text8"/>. No public address serves exactly their bytes, so they have no <see cref="PublicDataset.Url"/>;
/// their checksums are of the files as distributed with the workbench's data folder, and
/// <see cref="PublicDataset.Origin"/> says how each was cut from the published archive.
/// </remarks>
public static class PublicDatasets
{
    /// <summary>Tiny Shakespeare: 40,000 lines of the plays, the character-level corpus of Karpathy's char-rnn.</summary>
    public static PublicDataset TinyShakespeare { get; } = new(
        "tiny-shakespeare", "tinyshakespeare.txt",
        new Uri("https://raw.githubusercontent.com/karpathy/char-rnn/6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e/data/tinyshakespeare/input.txt"),
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394,
        "Excerpts of Shakespeare's plays, ASCII, 65 distinct characters (karpathy/char-rnn, data/tinyshakespeare/input.txt).",
        "The text is in the public domain; the char-rnn repository states MIT.");

    /// <summary>The Google word-analogy test set of Mikolov et al. (2013): 19,544 questions in 14 sections.</summary>
    public static PublicDataset GoogleAnalogies { get; } = new(
        "google-analogies", "questions-words.txt",
        new Uri("https://raw.githubusercontent.com/tmikolov/word2vec/20c129af10659f7c50e86e3be406df663beff438/questions-words.txt"),
        "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36", 603_955,
        "Word analogies 'a b c d' under ': section' headers, 8,869 semantic and 10,675 syntactic (word2vec's questions-words.txt).",
        "Apache License 2.0 (the word2vec repository).");

    /// <summary>International airline passengers per month, 1949–1960 (Box and Jenkins), in thousands.</summary>
    public static PublicDataset AirlinePassengers { get; } = new(
        "airline-passengers", "airline-passengers.csv",
        new Uri("https://raw.githubusercontent.com/jbrownlee/Datasets/7041c0cc3d65519cf5af38b3afa82087a7d80748/airline-passengers.csv"),
        "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621", 2_180,
        "A CSV with a \"Month\",\"Passengers\" header and 144 monthly rows, 1949-01 to 1960-12 (Time Series Data Library).",
        "None stated by the repository that publishes it.");

    /// <summary>WordSimilarity-353 (Finkelstein et al., 2002): 353 word pairs with human similarity scores 0–10.</summary>
    public static PublicDataset WordSim353 { get; } = new(
        "wordsim353", "wordsim353.tsv",
        new Uri("https://raw.githubusercontent.com/piskvorky/gensim/37f90ec121eb7cd401448a947e80953e0c53ccdc/gensim/test/test_data/wordsim353.tsv"),
        "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d", 7_186,
        "Two '#' comment lines, then word1<TAB>word2<TAB>score, as gensim's evaluate_word_pairs reads it.",
        "Published with gensim's test data (LGPL-2.1); the original set's own terms are not restated there.");

    /// <summary>SimLex-999 (Hill et al., 2015): 999 word pairs scored for similarity, not relatedness.</summary>
    public static PublicDataset SimLex999 { get; } = new(
        "simlex999", "simlex999.txt",
        new Uri("https://raw.githubusercontent.com/piskvorky/gensim/37f90ec121eb7cd401448a947e80953e0c53ccdc/gensim/test/test_data/simlex999.txt"),
        "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d", 18_126,
        "The same format as wordsim353: comment lines, then word1<TAB>word2<TAB>score.",
        "Published with gensim's test data (LGPL-2.1); the original set's own terms are not restated there.");

    /// <summary>
    /// GloVe 6B 50d (Pennington et al., 2014), its 17,664 most frequent words: a cut of glove.6B.50d.txt. The
    /// checksum is of the cut as distributed with the workbench's data folder; there is no address to download it.
    /// </summary>
    public static PublicDataset GloVe6B50d { get; } = new(
        "glove-6b-50d-top17664", "glove.6B.50d.top17664.txt", null,
        "9166c12337b20a3380b0d149eb0850616083c5b52a201b209ec0d7fe8b261822", 7_552_365,
        "'word v1 … v50' per line, no header, most frequent first ('the' … 'withhold'); the first 17,664 lines of glove.6B.50d.txt.",
        "Public Domain Dedication and License (PDDL) 1.0, as Stanford NLP releases the GloVe vectors.")
    {
        Origin = "The first 17,664 complete lines of glove.6B.50d.txt, the 50-dimensional member of "
            + "https://nlp.stanford.edu/data/glove.6B.zip (171,350,079 bytes uncompressed, CRC-32 a09557c3); the lines "
            + "are byte-identical to the whole file's. The whole archive's checksum is not known here, so only the cut is verified.",
    };

    /// <summary>
    /// text8 (Mahoney): its first 2,139,748 words, 12,549,837 characters of lower-case Wikipedia text. The checksum is
    /// of the cut as distributed with the workbench's data folder; there is no address to download it.
    /// </summary>
    public static PublicDataset Text8 { get; } = new(
        "text8-first12549837chars", "text8.first12549837chars.txt", null,
        "41e50c6af8fea8a544864ab290f2d07349c212ac0187b41e21a4249a2aa0103d", 12_549_837,
        "Words of a-z separated by single spaces, no newline, starting with a space as text8 does; its first 12,549,837 characters.",
        "Derived from English Wikipedia (2006): CC BY-SA / GFDL.")
    {
        Origin = "The first 12,549,837 characters of text8, the single member of http://mattmahoney.net/dc/text8.zip "
            + "(100,000,000 bytes uncompressed, CRC-32 7d6be66f), cut at a space so that no word is split. The whole "
            + "archive's checksum is not known here, so only the cut is verified.",
    };

    /// <summary>Every data set above, in the order the notebooks meet them.</summary>
    public static IReadOnlyList<PublicDataset> All { get; } =
        [TinyShakespeare, Text8, GloVe6B50d, GoogleAnalogies, WordSim353, SimLex999, AirlinePassengers];

    /// <summary>The data set called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No data set has that name; the message lists the names there are.</exception>
    public static PublicDataset Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"No public data set is called '{name}'; the names are: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));
    }
}
