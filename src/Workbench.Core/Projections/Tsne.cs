using Workbench.Tensors;

namespace Workbench.Projections;

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten and Hinton, 2008) for plotting high-dimensional points
/// (word vectors) in 2-D: exact gradients for small sets, Barnes–Hut (van der Maaten, 2014) for thousands of points.
/// Deterministic: the layout depends only on the data and <see cref="TsneOptions.Seed"/> (parallel loops write
/// disjoint rows and reductions are summed in a fixed order).
/// </summary>
public static class Tsne
{
    /// <summary>Embeds the rows of <paramref name="data"/> (shape (n, features)) into (n, Dimensions).</summary>
    public static NdArray<double> Embed(NdArray<double> data, TsneOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TsneOptions();
        if (data.Rank != 2) throw new ArgumentException($"t-SNE needs a 2-D array (points, features); got shape ({string.Join(", ", data.Shape)}).", nameof(data));
        int n = data.Shape[0], d = data.Shape[1];
        if (n < 2) throw new ArgumentException($"t-SNE needs at least 2 points; got {n}.", nameof(data));
        if (!(options.Perplexity > 0) || options.Perplexity >= n)
            throw new ArgumentException($"The perplexity ({options.Perplexity}) must be positive and below the number of points ({n}).", nameof(options));
        if (options.Iterations < 1 || options.LearningRate <= 0 || options.Theta < 0 || options.ExaggerationIterations < 0)
            throw new ArgumentException("Iterations, learning rate must be positive; theta and exaggeration iterations not negative.", nameof(options));
        foreach (double v in data.Data)
            if (!double.IsFinite(v)) throw new ArgumentException("The data contain NaN or infinity.", nameof(data));
        bool barnesHut = options.Method == TsneMethod.BarnesHut || (options.Method == TsneMethod.Auto && n >= 500);
        int dims = options.Dimensions;
        if (dims < 1 || (barnesHut && dims != 2))
            throw new ArgumentException($"Dimensions = {dims}: Barnes–Hut t-SNE needs 2; exact needs at least 1.", nameof(options));

        var y = InitialLayout(n, dims, options.Seed);
        if (barnesHut)
        {
            var p = SparseAffinities(data.Data, n, d, options.Perplexity, cancellationToken);
            Optimize(y, n, dims, options, cancellationToken, (yy, exaggeration, grad) => BarnesHutGradient(p, yy, n, options.Theta, exaggeration, grad));
        }
        else
        {
            var p = DenseAffinities(data.Data, n, d, options.Perplexity, cancellationToken);
            Optimize(y, n, dims, options, cancellationToken, (yy, exaggeration, grad) => ExactGradient(p, yy, n, dims, exaggeration, grad));
        }
        return new NdArray<double>(y, n, dims);
    }

    /// <summary>Embeds float rows (converted to double).</summary>
    public static NdArray<double> Embed(NdArray<float> data, TsneOptions? options = null, CancellationToken cancellationToken = default) =>
        Embed(data.Cast<double>(), options, cancellationToken);

    private static double[] InitialLayout(int n, int dims, int seed)
    {
        // Box–Muller on a SplitMix64 stream: identical on every platform.
        ulong state = (ulong)seed ^ 0x5DEECE66DUL;
        double Uniform()
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return ((z >> 11) + 0.5) / (1UL << 53);
        }
        var y = new double[n * dims];
        for (int i = 0; i < y.Length; i++)
            y[i] = 1e-4 * Math.Sqrt(-2 * Math.Log(Uniform())) * Math.Cos(2 * Math.PI * Uniform());
        return y;
    }

    private static double SquaredDistance(double[] x, int i, int j, int d)
    {
        double sum = 0;
        for (int k = 0; k < d; k++) { double t = x[i * d + k] - x[j * d + k]; sum += t * t; }
        return sum;
    }

    /// <summary>Row i of the conditional P(j|i) with β tuned by bisection so that 2^H = perplexity.</summary>
    private static void ConditionalRow(ReadOnlySpan<double> distances, Span<double> row, double perplexity)
    {
        double target = Math.Log(perplexity), beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        double minD = double.PositiveInfinity;
        foreach (double v in distances) minD = Math.Min(minD, v);
        for (int step = 0; step < 200; step++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < distances.Length; j++)
            {
                double e = Math.Exp(-(distances[j] - minD) * beta); // shifted for stability; cancels in the ratio
                row[j] = e;
                sum += e;
                weighted += (distances[j] - minD) * e;
            }
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
            double diff = entropy - target;
            if (Math.Abs(diff) < 1e-5) break;
            if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
            else { hi = beta; beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2; }
        }
    }

    internal static double[] DenseAffinities(double[] x, int n, int d, double perplexity, CancellationToken token)
    {
        var conditional = new double[n * n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = token }, i =>
        {
            var distances = new double[n - 1];
            var row = new double[n - 1];
            for (int j = 0, k = 0; j < n; j++) if (j != i) distances[k++] = SquaredDistance(x, i, j, d);
            ConditionalRow(distances, row, perplexity);
            for (int j = 0, k = 0; j < n; j++) if (j != i) conditional[i * n + j] = row[k++];
        });
        var p = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[i * n + j] = Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    internal static void ExactGradient(double[] p, double[] y, int n, int dims, double exaggeration, double[] grad)
    {
        var num = new double[n * n];
        var rowSums = new double[n];
        Parallel.For(0, n, i =>
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dist = 0;
                for (int k = 0; k < dims; k++) { double t = y[i * dims + k] - y[j * dims + k]; dist += t * t; }
                double q = 1.0 / (1.0 + dist);
                num[i * n + j] = q;
                s += q;
            }
            rowSums[i] = s;
        });
        double z = 0;
        foreach (double s in rowSums) z += s;
        Parallel.For(0, n, i =>
        {
            for (int k = 0; k < dims; k++) grad[i * dims + k] = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double q = num[i * n + j];
                double mult = 4.0 * (exaggeration * p[i * n + j] - q / z) * q;
                for (int k = 0; k < dims; k++) grad[i * dims + k] += mult * (y[i * dims + k] - y[j * dims + k]);
            }
        });
    }

    /// <summary>Symmetric sparse P over each point's ⌊3·perplexity⌋ nearest neighbours, as compressed rows.</summary>
    internal sealed record SparseP(int[] RowStart, int[] Columns, double[] Values);

    internal static SparseP SparseAffinities(double[] x, int n, int d, double perplexity, CancellationToken token)
    {
        int k = Math.Min(n - 1, (int)(3 * perplexity + 1));
        var neighbours = new int[n * k];
        var conditional = new double[n * k];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = token }, i =>
        {
            var all = new (double Dist, int J)[n - 1];
            for (int j = 0, m = 0; j < n; j++) if (j != i) all[m++] = (SquaredDistance(x, i, j, d), j);
            Array.Sort(all, (a, b) => a.Dist != b.Dist ? a.Dist.CompareTo(b.Dist) : a.J.CompareTo(b.J));
            var distances = new double[k];
            var row = new double[k];
            for (int m = 0; m < k; m++) { distances[m] = all[m].Dist; neighbours[i * k + m] = all[m].J; }
            ConditionalRow(distances, row, perplexity);
            row.CopyTo(conditional, i * k);
        });
        var rows = new Dictionary<int, double>[n];
        for (int i = 0; i < n; i++) rows[i] = new Dictionary<int, double>(k);
        for (int i = 0; i < n; i++)
            for (int m = 0; m < k; m++)
            {
                int j = neighbours[i * k + m];
                double v = conditional[i * k + m] / (2.0 * n);
                rows[i][j] = rows[i].GetValueOrDefault(j) + v;
                rows[j][i] = rows[j].GetValueOrDefault(i) + v;
            }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + rows[i].Count;
        var columns = new int[start[n]];
        var values = new double[start[n]];
        for (int i = 0; i < n; i++)
        {
            int at = start[i];
            foreach (var kv in rows[i].OrderBy(kv => kv.Key)) { columns[at] = kv.Key; values[at] = kv.Value; at++; }
        }
        return new SparseP(start, columns, values);
    }

    internal static void BarnesHutGradient(SparseP p, double[] y, int n, double theta, double exaggeration, double[] grad)
    {
        var tree = new QuadTree(y, n);
        var repulsion = new double[2 * n];
        var zParts = new double[n];
        Parallel.For(0, n, i =>
        {
            double fx = 0, fy = 0, z = 0;
            tree.Repulsion(i, theta, ref fx, ref fy, ref z);
            repulsion[2 * i] = fx;
            repulsion[2 * i + 1] = fy;
            zParts[i] = z;
        });
        double zSum = 0;
        foreach (double z in zParts) zSum += z;
        Parallel.For(0, n, i =>
        {
            double ax = 0, ay = 0;
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++)
            {
                int j = p.Columns[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1.0 / (1.0 + dx * dx + dy * dy);
                ax += p.Values[e] * q * dx;
                ay += p.Values[e] * q * dy;
            }
            grad[2 * i] = 4.0 * (exaggeration * ax - repulsion[2 * i] / zSum);
            grad[2 * i + 1] = 4.0 * (exaggeration * ay - repulsion[2 * i + 1] / zSum);
        });
    }

    /// <summary>KL(P ‖ Q) of a dense P and layout y: the cost whose gradient <see cref="ExactGradient"/> returns (exaggeration 1).</summary>
    internal static double KlDivergence(double[] p, double[] y, int n, int dims)
    {
        double z = 0;
        var num = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double dist = 0;
                for (int k = 0; k < dims; k++) { double t = y[i * dims + k] - y[j * dims + k]; dist += t * t; }
                num[i * n + j] = 1.0 / (1.0 + dist);
                z += num[i * n + j];
            }
        double kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) kl += p[i * n + j] * Math.Log(p[i * n + j] / (num[i * n + j] / z));
        return kl;
    }

    private static void Optimize(double[] y, int n, int dims, TsneOptions o, CancellationToken token, Action<double[], double, double[]> gradient)
    {
        var grad = new double[y.Length];
        var update = new double[y.Length];
        var gains = new double[y.Length];
        Array.Fill(gains, 1.0);
        for (int iteration = 0; iteration < o.Iterations; iteration++)
        {
            token.ThrowIfCancellationRequested();
            bool early = iteration < o.ExaggerationIterations;
            gradient(y, early ? o.EarlyExaggeration : 1.0, grad);
            double momentum = early ? o.InitialMomentum : o.FinalMomentum;
            for (int i = 0; i < y.Length; i++)
            {
                // Delta-bar-delta gains (Jacobs, 1988), as in the reference implementation.
                gains[i] = Math.Sign(grad[i]) != Math.Sign(update[i]) ? gains[i] + 0.2 : Math.Max(gains[i] * 0.8, 0.01);
                update[i] = momentum * update[i] - o.LearningRate * gains[i] * grad[i];
                y[i] += update[i];
            }
            for (int k = 0; k < dims; k++)
            {
                double mean = 0;
                for (int i = 0; i < n; i++) mean += y[i * dims + k];
                mean /= n;
                for (int i = 0; i < n; i++) y[i * dims + k] -= mean;
            }
        }
    }

    /// <summary>A point-region quadtree over the 2-D layout with per-cell centre of mass, rebuilt every iteration.</summary>
    private sealed class QuadTree
    {
        private readonly double[] _y;
        private readonly List<Node> _nodes = [];

        private struct Node
        {
            public double CenterX, CenterY, HalfWidth; // the cell
            public double MassX, MassY;                // centre of mass
            public int Count, Point, FirstChild;       // Point: the single point of a leaf (-1 if none); FirstChild: -1 for leaves
        }

        public QuadTree(double[] y, int n)
        {
            _y = y;
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                minX = Math.Min(minX, y[2 * i]); maxX = Math.Max(maxX, y[2 * i]);
                minY = Math.Min(minY, y[2 * i + 1]); maxY = Math.Max(maxY, y[2 * i + 1]);
            }
            double half = Math.Max(maxX - minX, maxY - minY) / 2 + 1e-5;
            _nodes.Add(new Node { CenterX = (minX + maxX) / 2, CenterY = (minY + maxY) / 2, HalfWidth = half, Point = -1, FirstChild = -1 });
            for (int i = 0; i < n; i++) Insert(0, i, 0);
        }

        private void Insert(int nodeIndex, int point, int depth)
        {
            while (true)
            {
                var node = _nodes[nodeIndex];
                double px = _y[2 * point], py = _y[2 * point + 1];
                node.MassX = (node.MassX * node.Count + px) / (node.Count + 1);
                node.MassY = (node.MassY * node.Count + py) / (node.Count + 1);
                node.Count++;
                if (node.FirstChild < 0 && node.Point < 0 && node.Count == 1)
                {
                    node.Point = point;
                    _nodes[nodeIndex] = node;
                    return;
                }
                if (node.FirstChild < 0)
                {
                    // Duplicate positions (or too deep): keep them together in this leaf.
                    if (depth > 50 || (node.Point >= 0 && _y[2 * node.Point] == px && _y[2 * node.Point + 1] == py))
                    {
                        _nodes[nodeIndex] = node;
                        return;
                    }
                    int existing = node.Point;
                    node.Point = -1;
                    node.FirstChild = _nodes.Count;
                    _nodes[nodeIndex] = node;
                    double h = node.HalfWidth / 2;
                    for (int c = 0; c < 4; c++)
                        _nodes.Add(new Node { CenterX = node.CenterX + ((c & 1) == 0 ? -h : h), CenterY = node.CenterY + ((c & 2) == 0 ? -h : h), HalfWidth = h, Point = -1, FirstChild = -1 });
                    if (existing >= 0) InsertIntoChild(nodeIndex, existing, depth + 1);
                }
                else _nodes[nodeIndex] = node;
                // Descend for the new point.
                node = _nodes[nodeIndex];
                nodeIndex = node.FirstChild + Quadrant(node, px, py);
                depth++;
            }
        }

        private void InsertIntoChild(int parent, int point, int depth)
        {
            var node = _nodes[parent];
            Insert(node.FirstChild + Quadrant(node, _y[2 * point], _y[2 * point + 1]), point, depth);
        }

        private static int Quadrant(Node node, double x, double y) => (x > node.CenterX ? 1 : 0) | (y > node.CenterY ? 2 : 0);

        public void Repulsion(int i, double theta, ref double fx, ref double fy, ref double z)
        {
            double px = _y[2 * i], py = _y[2 * i + 1];
            // Depth-first; the tree is at most ~50 levels deep, so 3 pending siblings per level fit easily.
            Span<int> stack = stackalloc int[256];
            int top = 0;
            stack[top++] = 0;
            while (top > 0)
            {
                var node = _nodes[stack[--top]];
                if (node.Count == 0) continue;
                double dx = px - node.MassX, dy = py - node.MassY;
                double dist2 = dx * dx + dy * dy;
                bool leaf = node.FirstChild < 0;
                if (leaf || (2 * node.HalfWidth) * (2 * node.HalfWidth) < theta * theta * dist2)
                {
                    int count = node.Count;
                    if (leaf && node.Point == i) count--; // the point itself (duplicates at the same spot still count)
                    if (count <= 0) continue;
                    double q = 1.0 / (1.0 + dist2);
                    z += count * q;
                    fx += count * q * q * dx;
                    fy += count * q * q * dy;
                }
                else
                {
                    for (int c = 3; c >= 0; c--) stack[top++] = node.FirstChild + c;
                }
            }
        }
    }
}
