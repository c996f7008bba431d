namespace Workbench.Embeddings;

/// <summary>Which word2vec model to train.</summary>
public enum Word2VecArchitecture
{
    /// <summary>Skip-gram: each word's vector predicts the words around it (gensim sg=1).</summary>
    SkipGram,

    /// <summary>Continuous bag of words: the mean of the context vectors predicts the centre word (gensim sg=0).</summary>
    Cbow,
}
