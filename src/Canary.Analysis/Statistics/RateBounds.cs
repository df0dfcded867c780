using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>Exact bounds and tails of a binomial rate, for counts that may be scaled (effective counts: counts / φ).</summary>
internal static class RateBounds
{
    /// <summary>
    /// The one-sided Clopper–Pearson upper confidence bound at level 1 − <paramref name="level"/> on the rate behind
    /// <paramref name="events"/> of <paramref name="trials"/>: P(true rate above it) ≤ level.
    /// </summary>
    internal static double Upper(double events, double trials, double level) =>
        events >= trials ? 1 : BetaQuantile.Quantile(1 - level, events + 1, trials - events);

    /// <summary>P(X ≥ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>) (n and k may be fractional: the beta-function extension).</summary>
    internal static double AtLeast(double k, double n, double p) => k <= 0 ? 1 : Binomial.Cdf(k - 1, n, p, lowerTail: false);
}
