using System.Collections.ObjectModel;
using System.Globalization;

namespace Canary.Analysis.Traffic;

/// <summary>
/// A latency summary: quantiles pre-computed by the client library (prometheus-net and prom-client <c>Summary</c>,
/// <c>{quantile="0.99"}</c>), with the sum and count of observations. Used where a source has no histogram.
/// </summary>
/// <remarks>
/// A pre-computed quantile cannot be re-derived, merged across pods or restricted to another window: it covers the
/// client's own sliding window. <see cref="Quantile"/> therefore answers only the quantiles the client computed
/// (NaN for any other, so a check asking for an uncomputed quantile is Inconclusive, never Pass); the mean comes from
/// <c>_sum</c>/<c>_count</c> over the query's window.
/// </remarks>
public sealed class LatencySummary
{
    private const double QuantileTolerance = 1e-9;

    /// <summary>Creates a summary.</summary>
    /// <param name="quantiles">Quantile (0–1) and its value in seconds (NaN when the client had no observation).</param>
    /// <param name="count">Observations in the window (the <c>_count</c> increase).</param>
    /// <param name="sum">Sum of observations in the window in seconds (the <c>_sum</c> increase), NaN when unknown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="quantiles"/> is null.</exception>
    /// <exception cref="ArgumentException">A quantile is outside 0–1 or appears twice.</exception>
    public LatencySummary(IEnumerable<(double Quantile, double Value)> quantiles, double count, double sum)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        var list = new List<(double Quantile, double Value)>();
        foreach (var (q, value) in quantiles)
        {
            if (!(q is >= 0 and <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Summary quantile {q} is outside 0–1."), nameof(quantiles));
            }

            if (list.Any(e => Math.Abs(e.Quantile - q) <= QuantileTolerance))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Summary quantile {q} appears twice."), nameof(quantiles));
            }

            list.Add((q, value));
        }

        list.Sort(static (a, b) => a.Quantile.CompareTo(b.Quantile));
        Quantiles = new ReadOnlyCollection<(double Quantile, double Value)>(list);
        Count = count;
        Sum = sum;
    }

    /// <summary>Gets the pre-computed quantiles in increasing order.</summary>
    public IReadOnlyList<(double Quantile, double Value)> Quantiles { get; }

    /// <summary>Gets the observations in the window.</summary>
    public double Count { get; }

    /// <summary>Gets the sum of observations in the window (seconds).</summary>
    public double Sum { get; }

    /// <summary>Gets the mean observation (<see cref="Sum"/> / <see cref="Count"/>), NaN without observations or sum.</summary>
    public double Mean => Count > 0 ? Sum / Count : double.NaN;

    /// <summary>Returns the value of a quantile the client computed, or NaN when it did not compute that one.</summary>
    /// <param name="q">The quantile, 0–1.</param>
    /// <returns>The value in seconds, or NaN.</returns>
    public double Quantile(double q)
    {
        foreach (var (quantile, value) in Quantiles)
        {
            if (Math.Abs(quantile - q) <= QuantileTolerance)
            {
                return value;
            }
        }

        return double.NaN;
    }
}
