namespace Canary.Analysis.Evaluation.Internal;

/// <summary>
/// Chooses, from both versions' totals alone (the current window's and earlier ones, never the split), the dispersion φ by
/// which a window's likelihood ratio is tempered (LR^(1/φ)) when errors may arrive in bursts; see
/// <see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/> for why the evidence stays valid.
/// </summary>
internal static class BurstTempering
{
    /// <summary>A window whose errors are this unlikely under the endpoint's usual rate and the estimated dispersion counts as a burst of its own.</summary>
    internal const double BurstTailProbability = 0.01;

    /// <summary>The information (errors beyond each endpoint's first window, roughly the degrees of freedom) the pooled estimate needs.</summary>
    internal const double MinimumInformation = 15;

    /// <summary>
    /// The pooled dispersion over the endpoints: Σ squared deviations / Σ what independent errors would give, when it is more
    /// than <see cref="Significance"/> standard errors above 1, else 1; +∞ (every window tempered by its errors) until the
    /// endpoints have seen <see cref="MinimumInformation"/> errors beyond their first windows.
    /// </summary>
    internal static double Pooled(ReadOnlySpan<SequentialErrorDispersion> dispersions)
    {
        double deviations = 0, poisson = 0, variance = 0;
        foreach (var d in dispersions)
        {
            deviations += d.SquaredDeviations;
            poisson += d.PoissonDeviations;
            variance += d.PoissonDeviationsVariance;
        }

        if (poisson < MinimumInformation)
        {
            return double.PositiveInfinity;
        }

        // Independent errors put the ratio within about 2 standard errors of 1: read that as 1 (no tempering), so the noise
        // of the estimate costs no power there; bursts put it far above.
        var ratio = deviations / poisson;
        return ratio > 1 + (Significance * Math.Sqrt(variance) / poisson) ? ratio : 1;
    }

    /// <summary>How many standard errors (under independent errors) above 1 the estimate must be to be used.</summary>
    internal const double Significance = 2;

    /// <summary>The pooled estimate as a burst size: 1 while there is none.</summary>
    internal static double Finite(double pooled) => double.IsPositiveInfinity(pooled) ? 1 : pooled;

    /// <summary>
    /// The window's φ: until the pooled estimate exists (or at the endpoint's first window), the window's errors (at least 1):
    /// its largest cluster cannot be larger. Then the pooled estimate (at least <paramref name="minimum"/>) — for every window,
    /// however few its errors, as a version with fewer requests than a burst gets smaller bursts more often — and at least the
    /// window's errors when they are a burst of their own (more than the usual rate, one error more than seen, and the
    /// estimate explain at <see cref="BurstTailProbability"/>).
    /// </summary>
    internal static double Dispersion(long errors, long requests, SequentialErrorDispersion history, double pooled, double minimum)
    {
        var phi = Math.Max(pooled, minimum);
        if (history.Requests == 0 || double.IsPositiveInfinity(phi))
        {
            return Math.Max(errors, minimum);
        }

        if (errors <= 1)
        {
            return phi;
        }

        // Clusters of φ errors: the window holds about errors / φ of them where the usual rate (one error more than seen,
        // as the shared-outage rule counts) expects mean / φ.
        var mean = (history.Errors + 1.0) / history.Requests * requests;
        var clusters = (long)Math.Ceiling((errors / phi) - 1e-9);
        return PoissonAtLeast(clusters, mean / phi) < BurstTailProbability ? Math.Max(errors, phi) : phi;
    }

    /// <summary>P(X ≥ k) for X ~ Poisson(mean), summed from k upward (no cancellation in the far tail).</summary>
    internal static double PoissonAtLeast(long k, double mean)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (mean <= 0)
        {
            return 0;
        }

        if (k <= mean)
        {
            return 1; // not in the upper tail: never a burst
        }

        // log P(X = k) = −mean + k·log(mean) − log(k!)
        var logTerm = -mean + (k * Math.Log(mean));
        for (long j = 2; j <= k; j++)
        {
            logTerm -= Math.Log(j);
        }

        var term = Math.Exp(logTerm);
        var sum = term;
        for (var j = k + 1; term > sum * 1e-12 && j < k + 10_000; j++)
        {
            term *= mean / j;
            sum += term;
        }

        return Math.Min(1, sum);
    }
}
