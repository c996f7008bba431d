namespace Workbench.Projections;

/// <summary>How t-SNE computes its gradient.</summary>
public enum TsneMethod
{
    /// <summary>Exact below 500 points, Barnes–Hut from there.</summary>
    Auto,

    /// <summary>All pairs: O(n²) per iteration, for small sets.</summary>
    Exact,

    /// <summary>Sparse neighbour affinities and a quadtree for the repulsion: O(n log n) per iteration, 2-D only.</summary>
    BarnesHut,
}
