using System.Collections.ObjectModel;
using System.Globalization;

namespace Canary.Analysis.Traffic;

/// <summary>
/// A latency histogram in Prometheus' classic form: cumulative counts per upper bound (<c>le</c>), the
/// <c>+Inf</c> bucket holding the total. <see cref="Quantile"/> equals Prometheus' <c>histogram_quantile</c>,
/// edge cases included.
/// </summary>
/// <remarks>
/// As in Prometheus: buckets may come in any order; buckets with the same bound are added together; counts
/// that decrease with the bound (which <c>increase()</c> over a reset can produce) are lifted to the running
/// maximum, after treating relative differences up to 1e-12 as float noise; a quantile in the <c>+Inf</c>
/// bucket is the highest finite bound; a first bucket with a bound ≤ 0 returns that bound, otherwise the
/// lowest bucket interpolates from 0. Without a <c>+Inf</c> bucket, with fewer than two buckets or with no
/// observations the quantile is NaN.
/// </remarks>
public sealed class LatencyHistogram
{
    private const double PrecisionTolerance = 1e-12;

    private readonly double[] _bounds;
    private readonly double[] _counts;

    /// <summary>Creates a histogram from cumulative buckets.</summary>
    /// <param name="buckets">Upper bound and cumulative count per bucket, in any order, <c>+Inf</c> included.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buckets"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound or a count is NaN, or a count is infinite.</exception>
    public LatencyHistogram(IEnumerable<(double UpperBound, double CumulativeCount)> buckets)
        : this(buckets, double.NaN)
    {
    }

    /// <summary>Creates a histogram from cumulative buckets and the sum of observations (the <c>_sum</c> series).</summary>
    /// <param name="buckets">Upper bound and cumulative count per bucket, in any order, <c>+Inf</c> included.</param>
    /// <param name="sum">The sum of all observations, or NaN when unknown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buckets"/> is null.</exception>
    /// <exception cref="ArgumentException">A bound or a count is NaN, or a count is infinite.</exception>
    public LatencyHistogram(IEnumerable<(double UpperBound, double CumulativeCount)> buckets, double sum)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var list = new List<(double UpperBound, double CumulativeCount)>();
        foreach (var bucket in buckets)
        {
            if (double.IsNaN(bucket.UpperBound))
            {
                throw new ArgumentException("A bucket's upper bound (le) is NaN.", nameof(buckets));
            }

            if (!double.IsFinite(bucket.CumulativeCount))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Bucket le=\"{bucket.UpperBound}\" has count {bucket.CumulativeCount}; counts must be finite."), nameof(buckets));
            }

            list.Add(bucket);
        }

        list.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
        Buckets = new ReadOnlyCollection<(double UpperBound, double CumulativeCount)>(list);
        Sum = sum;
        (_bounds, _counts) = Normalise(list);
        Count = _bounds.Length > 0 && double.IsPositiveInfinity(_bounds[^1]) ? _counts[^1] : double.NaN;
    }

    /// <summary>Gets the buckets as given, sorted by upper bound.</summary>
    public IReadOnlyList<(double UpperBound, double CumulativeCount)> Buckets { get; }

    /// <summary>Gets the number of observations (the <c>+Inf</c> bucket), or NaN without a <c>+Inf</c> bucket.</summary>
    public double Count { get; }

    /// <summary>Gets the sum of observations, or NaN when unknown.</summary>
    public double Sum { get; }

    /// <summary>Gets the mean observation (<see cref="Sum"/> / <see cref="Count"/>), or NaN without observations or sum.</summary>
    public double Mean => Count > 0 ? Sum / Count : double.NaN;

    /// <summary>Adds histograms together as <c>sum by (le)</c> does: counts of equal bounds are added, sums too.</summary>
    /// <param name="histograms">The histograms, e.g. one per pod.</param>
    /// <returns>The merged histogram.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="histograms"/> or an item is null.</exception>
    public static LatencyHistogram Merge(IEnumerable<LatencyHistogram> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        var counts = new SortedDictionary<double, double>();
        var sum = 0.0;
        var any = false;
        foreach (var histogram in histograms)
        {
            ArgumentNullException.ThrowIfNull(histogram, nameof(histograms));
            any = true;
            sum += histogram.Sum;
            foreach (var (bound, count) in histogram.Buckets)
            {
                counts[bound] = counts.GetValueOrDefault(bound) + count;
            }
        }

        return new LatencyHistogram(counts.Select(pair => (pair.Key, pair.Value)), any ? sum : double.NaN);
    }

    /// <summary>Estimates the <paramref name="q"/>-quantile exactly as Prometheus' <c>histogram_quantile</c> does.</summary>
    /// <param name="q">The quantile, 0–1 (0.99 for p99).</param>
    /// <returns>The estimate; NaN for a NaN q or an unusable histogram, −∞ for q &lt; 0, +∞ for q &gt; 1.</returns>
    public double Quantile(double q)
    {
        if (double.IsNaN(q))
        {
            return double.NaN;
        }

        if (q < 0)
        {
            return double.NegativeInfinity;
        }

        if (q > 1)
        {
            return double.PositiveInfinity;
        }

        var n = _bounds.Length;
        if (n < 2 || !double.IsPositiveInfinity(_bounds[n - 1]))
        {
            return double.NaN;
        }

        var observations = _counts[n - 1];
        if (observations == 0)
        {
            return double.NaN;
        }

        var rank = q * observations;

        // The first of the finite buckets whose count reaches the rank (Go's sort.Search over n - 1 items).
        int lo = 0, hi = n - 1;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (_counts[mid] >= rank)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var b = lo;
        if (b == n - 1)
        {
            return _bounds[n - 2];
        }

        if (b == 0 && _bounds[0] <= 0)
        {
            return _bounds[0];
        }

        var bucketStart = 0.0;
        var bucketEnd = _bounds[b];
        var count = _counts[b];
        if (b > 0)
        {
            bucketStart = _bounds[b - 1];
            count -= _counts[b - 1];
            rank -= _counts[b - 1];
        }

        return bucketStart + ((bucketEnd - bucketStart) * (rank / count));
    }

    /// <summary>
    /// The observations slower than a bucket's upper bound: <see cref="Count"/> minus the cumulative count of the bucket whose
    /// <c>le</c> is <paramref name="upperBound"/> (buckets with that bound added together, bounds equal within a relative
    /// 1e-9). NaN when there is no such bucket or no <c>+Inf</c> bucket, or when the bucket counts more than <c>+Inf</c>
    /// (beyond float noise): data that cannot be split exactly.
    /// </summary>
    internal double CountAbove(double upperBound)
    {
        var total = double.NaN;
        var atBound = double.NaN;
        foreach (var (bound, count) in Buckets)
        {
            if (double.IsPositiveInfinity(bound))
            {
                total = double.IsNaN(total) ? count : total + count;
            }

            if (SameBound(bound, upperBound))
            {
                atBound = double.IsNaN(atBound) ? count : atBound + count;
            }
        }

        var above = total - atBound;
        return above >= -(PrecisionTolerance * Math.Max(1, total)) ? Math.Max(0, above) : double.NaN;
    }

    /// <summary>
    /// The upper bound of the bucket that holds the <paramref name="q"/>-quantile (the first bucket whose cumulative count
    /// reaches q × <see cref="Count"/>, as <see cref="Quantile"/> finds it): +∞ when that is the <c>+Inf</c> bucket, NaN without
    /// observations or a <c>+Inf</c> bucket.
    /// </summary>
    internal double QuantileBucket(double q)
    {
        var n = _bounds.Length;
        if (n == 0 || !double.IsPositiveInfinity(_bounds[n - 1]) || !(_counts[n - 1] > 0))
        {
            return double.NaN;
        }

        var rank = q * _counts[n - 1];
        for (var i = 0; i < n; i++)
        {
            if (_counts[i] >= rank)
            {
                return _bounds[i];
            }
        }

        return double.PositiveInfinity;
    }

    /// <summary>The largest finite upper bound, or NaN when every bucket is <c>+Inf</c>.</summary>
    internal double HighestFiniteBound()
    {
        for (var i = _bounds.Length - 1; i >= 0; i--)
        {
            if (double.IsFinite(_bounds[i]))
            {
                return _bounds[i];
            }
        }

        return double.NaN;
    }

    /// <summary>Whether two <c>le</c> values name the same bucket: equal within a relative 1e-9 (a unit conversion's rounding).</summary>
    internal static bool SameBound(double a, double b) =>
        a == b || (double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"histogram: {Count} observations in {Buckets.Count} buckets");

    /// <summary>Coalesces equal bounds, corrects float noise and forces monotonic counts, as Prometheus does.</summary>
    private static (double[] Bounds, double[] Counts) Normalise(List<(double UpperBound, double CumulativeCount)> sorted)
    {
        var bounds = new List<double>(sorted.Count);
        var counts = new List<double>(sorted.Count);
        foreach (var (bound, count) in sorted)
        {
            if (bounds.Count > 0 && bounds[^1] == bound)
            {
                counts[^1] += count;
            }
            else
            {
                bounds.Add(bound);
                counts.Add(count);
            }
        }

        if (counts.Count == 0)
        {
            return ([], []);
        }

        var prev = counts[0];
        for (var i = 1; i < counts.Count; i++)
        {
            var delta = Math.Abs(counts[i] - prev);
            if (delta == 0)
            {
                continue;
            }

            if (delta / counts[i] <= PrecisionTolerance)
            {
                counts[i] = prev;
            }
            else
            {
                prev = counts[i];
            }
        }

        var max = counts[0];
        for (var i = 1; i < counts.Count; i++)
        {
            if (counts[i] > max)
            {
                max = counts[i];
            }
            else if (counts[i] < max)
            {
                counts[i] = max;
            }
        }

        return ([.. bounds], [.. counts]);
    }
}
