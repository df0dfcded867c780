namespace Canary.Analysis.Statistics.Internal;

/// <summary>
/// Fisher's noncentral hypergeometric distribution of the top-left cell of a 2×2 table with fixed margins, as R's
/// <c>fisher.test</c> computes it (its local <c>dnhyper</c>, <c>mnhyper</c> and <c>pnhyper</c>).
/// </summary>
internal sealed class NoncentralHypergeometric
{
    private readonly double[] _logCentral;
    private readonly double[] _buffer;

    /// <summary>Creates the distribution for m = column-1 total, n = column-2 total, k = row-1 total.</summary>
    internal NoncentralHypergeometric(long m, long n, long k)
    {
        Low = Math.Max(0, k - n);
        High = Math.Min(k, m);
        int size = checked((int)(High - Low + 1));
        _logCentral = new double[size];
        _buffer = new double[size];

        // R's dhyper(x, m, n, k, log = TRUE) = dbinom_raw(x, m, p) + dbinom_raw(k − x, n, p) − dbinom_raw(k, m + n, p), p = k / (m + n).
        double total = m + n;
        double p = k / total;
        double q = (total - k) / total;
        double denominator = Binomial.LogDensityRaw(k, total, p, q);
        for (int i = 0; i < size; i++)
        {
            double x = Low + i;
            _logCentral[i] = Binomial.LogDensityRaw(x, m, p, q) + Binomial.LogDensityRaw(k - x, n, p, q) - denominator;
        }
    }

    internal long Low { get; }

    internal long High { get; }

    /// <summary>R's <c>dnhyper(ncp)</c>: the probabilities over the support, in a buffer reused by the next call.</summary>
    internal double[] Density(double ncp)
    {
        double logNcp = Math.Log(ncp);
        double max = double.NegativeInfinity;
        for (int i = 0; i < _buffer.Length; i++)
        {
            double d = _logCentral[i] + (logNcp * (Low + i));
            _buffer[i] = d;
            if (d > max)
            {
                max = d;
            }
        }

        double sum = 0;
        for (int i = 0; i < _buffer.Length; i++)
        {
            double e = Math.Exp(_buffer[i] - max);
            _buffer[i] = e;
            sum += e;
        }

        for (int i = 0; i < _buffer.Length; i++)
        {
            _buffer[i] /= sum;
        }

        return _buffer;
    }

    /// <summary>R's <c>mnhyper(ncp)</c>: the mean.</summary>
    internal double Mean(double ncp)
    {
        if (ncp == 0)
        {
            return Low;
        }

        if (double.IsPositiveInfinity(ncp))
        {
            return High;
        }

        double[] d = Density(ncp);
        double sum = 0;
        for (int i = 0; i < d.Length; i++)
        {
            sum += (Low + i) * d[i];
        }

        return sum;
    }

    /// <summary>R's <c>pnhyper(q, ncp, upper.tail)</c>: P(X ≤ q), or P(X ≥ q) for the upper tail.</summary>
    internal double Cdf(long q, double ncp, bool upperTail)
    {
        if (ncp == 0)
        {
            return (upperTail ? q <= Low : q >= Low) ? 1 : 0;
        }

        if (double.IsPositiveInfinity(ncp))
        {
            return (upperTail ? q <= High : q >= High) ? 1 : 0;
        }

        double[] d = Density(ncp);
        double sum = 0;
        for (int i = 0; i < d.Length; i++)
        {
            long x = Low + i;
            if (upperTail ? x >= q : x <= q)
            {
                sum += d[i];
            }
        }

        return sum;
    }
}
