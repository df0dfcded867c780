using MathNet.Numerics;

namespace Canary.Analysis.Simulation.Internal;

/// <summary>
/// The probabilities of a log-normal latency falling in each histogram bin, as conditional probabilities for
/// sequential binomial draws (an exact multinomial), and each bin's mean latency for the <c>_sum</c> series.
/// </summary>
internal sealed class LatencyBins
{
    internal LatencyBins(double[] bounds, double median, double spread)
    {
        var bins = bounds.Length + 1;
        Conditional = new double[bins];
        Mean = new double[bins];
        var mu = Math.Log(median);
        var variance = spread * spread;
        var mean = Math.Exp(mu + (variance / 2));
        double previousCdf = 0, previousShifted = 0, lower = 0, remaining = 1;
        for (var i = 0; i < bins; i++)
        {
            var upper = i < bounds.Length ? bounds[i] : double.PositiveInfinity;
            var cdf = i < bounds.Length ? Phi((Math.Log(upper) - mu) / spread) : 1;
            var shifted = i < bounds.Length ? Phi((Math.Log(upper) - mu - variance) / spread) : 1;
            var p = Math.Max(0, cdf - previousCdf);
            Conditional[i] = remaining > 1e-300 ? Math.Clamp(p / remaining, 0, 1) : 0;
            Mean[i] = p > 1e-300
                ? Math.Clamp(mean * Math.Max(0, shifted - previousShifted) / p, lower, double.IsInfinity(upper) ? double.MaxValue : upper)
                : double.IsInfinity(upper) ? lower : (lower + upper) / 2;
            remaining -= p;
            (previousCdf, previousShifted, lower) = (cdf, shifted, upper);
        }

        Conditional[^1] = 1;
    }

    /// <summary>P(bin i | not in bins before i).</summary>
    internal double[] Conditional { get; }

    /// <summary>E[latency | bin i].</summary>
    internal double[] Mean { get; }

    private static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
}
