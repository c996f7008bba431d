namespace Workbench.Embeddings;

/// <summary>A progress report from <see cref="Word2Vec.Train"/>, sent a few times per second and once at the end.</summary>
/// <param name="Fraction">Progress through all epochs, 0 to 1.</param>
/// <param name="Epoch">Current epoch (1-based) of the slowest thread.</param>
/// <param name="WordsProcessed">In-vocabulary corpus words processed so far (before sub-sampling), all epochs.</param>
/// <param name="WordsPerSecond">WordsProcessed divided by the elapsed time.</param>
/// <param name="Alpha">The current learning rate.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct Word2VecProgress(double Fraction, int Epoch, long WordsProcessed, double WordsPerSecond, double Alpha, TimeSpan Elapsed);
