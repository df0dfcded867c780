namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// The exact null distribution of the Mann–Whitney statistic W for sample sizes m and n without ties:
/// R's <c>dwilcox</c>/<c>pwilcox</c>/<c>qwilcox</c>, counted with the recursion
/// f(a, b, k) = f(a − 1, b, k − b) + f(a, b − 1, k) (additions only, so the counts stay accurate).
/// </summary>
internal sealed class WilcoxonDistribution
{
    /// <summary>The largest m × n this class computes: the cost grows as (m n)² / 2.</summary>
    internal const long MaxProduct = 10_000;

    private const double DblEpsilon = 2.220446049250313e-16;

    private readonly double[] _counts;
    private readonly double _total;
    private readonly int _product;

    internal WilcoxonDistribution(int m, int n)
    {
        int small = Math.Min(m, n);
        int large = Math.Max(m, n);
        _product = m * n;
        int half = _product / 2;

        // g[a][k] = f(a, b, k) for the current b; f(a, 0, k) = [k == 0].
        var g = new double[small + 1][];
        for (int a = 0; a <= small; a++)
        {
            g[a] = new double[half + 1];
            g[a][0] = 1;
        }

        for (int b = 1; b <= large; b++)
        {
            for (int a = 1; a <= small; a++)
            {
                double[] row = g[a];
                double[] previous = g[a - 1];
                for (int k = b; k <= half; k++)
                {
                    row[k] += previous[k - b];
                }
            }
        }

        _counts = g[small];
        double sum = 0;
        for (int k = 0; k <= half; k++)
        {
            sum += _counts[k];
        }

        _total = _product % 2 == 1 ? 2 * sum : (2 * sum) - _counts[half];
    }

    /// <summary>The number of arrangements with W = k (R's <c>cwilcox</c>).</summary>
    internal double Count(int k) =>
        k < 0 || k > _product ? 0 : _counts[k <= _product / 2 ? k : _product - k];

    /// <summary>R's <c>pwilcox(q, m, n, lower.tail)</c>.</summary>
    internal double Cdf(double q, bool lowerTail = true)
    {
        q = Math.Floor(q + 1e-7);
        if (q < 0)
        {
            return lowerTail ? 0 : 1;
        }

        if (q >= _product)
        {
            return lowerTail ? 1 : 0;
        }

        double p = 0;
        if (q <= _product / 2.0)
        {
            for (int i = 0; i <= q; i++)
            {
                p += Count(i) / _total;
            }
        }
        else
        {
            q = _product - q;
            for (int i = 0; i < q; i++)
            {
                p += Count(i) / _total;
            }

            lowerTail = !lowerTail;
        }

        return lowerTail ? p : 0.5 - p + 0.5;
    }

    /// <summary>R's <c>qwilcox(x, m, n)</c> (lower tail).</summary>
    internal int Quantile(double x)
    {
        if (x == 0)
        {
            return 0;
        }

        if (x == 1)
        {
            return _product;
        }

        double p = 0;
        int q = 0;
        if (x <= 0.5)
        {
            x -= 10 * DblEpsilon;
            while (true)
            {
                p += Count(q) / _total;
                if (p >= x)
                {
                    return q;
                }

                q++;
            }
        }

        x = 1 - x + (10 * DblEpsilon);
        while (true)
        {
            p += Count(q) / _total;
            if (p > x)
            {
                return _product - q;
            }

            q++;
        }
    }
}
