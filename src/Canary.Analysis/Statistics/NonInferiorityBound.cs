using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>
/// Always-valid upper bounds on how much higher the canary's event (error) rate is than the baseline's, per stratum
/// (endpoint) and weighted across strata: the bound a non-inferiority decision ("the canary's weighted success rate is at
/// most δ below the baseline's") is proven with, at every look, whatever the stopping time.
/// </summary>
/// <remarks>
/// <para>For one stratum the bound is U = canary upper bound − baseline lower bound, each a
/// <see cref="BinomialConfidenceSequence"/> at α/2: both hold at every look with probability at least 1 − α (a union
/// bound), and then the difference of the rates is at most U at every look.</para>
/// <para>Weighted: stratum i (normalised weight wᵢ) gets αᵢ = α × wᵢ, so the 2K sequences all hold at every look with
/// probability at least 1 − Σ αᵢ = 1 − α, and then Σ wᵢ (canary rateᵢ − baseline rateᵢ) ≤ Σ wᵢ Uᵢ at every look. Nothing is
/// estimated across looks beyond the cumulative counts, so the bound is a function of them alone (restarts that keep the
/// counts continue it). Assumptions: within each version and stratum the requests are independent with a constant rate;
/// errors in bursts or rates that drift make the bound optimistic. Strata of weight 0 do not count.</para>
/// </remarks>
public static class NonInferiorityBound
{
    /// <summary>Gets the always-valid upper bound on canary rate − baseline rate for one stratum.</summary>
    /// <param name="canaryEvents">The canary's events so far.</param>
    /// <param name="canaryTrials">The canary's trials so far.</param>
    /// <param name="baselineEvents">The baseline's events so far.</param>
    /// <param name="baselineTrials">The baseline's trials so far.</param>
    /// <param name="alpha">The probability, over every look, that the difference is ever above the bound; in (0, 1).</param>
    /// <returns>The bound, in [−1, 1]; 1 when neither version has trials.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or α is out of range.</exception>
    public static double Stratum(double canaryEvents, double canaryTrials, double baselineEvents, double baselineTrials, double alpha) =>
        BinomialConfidenceSequence.Upper(canaryEvents, canaryTrials, alpha / 2) - BinomialConfidenceSequence.Lower(baselineEvents, baselineTrials, alpha / 2);

    /// <summary>
    /// Gets the always-valid upper bound on the weighted difference Σ wᵢ (canary rateᵢ − baseline rateᵢ), weights normalised
    /// by their sum, with α split among the strata by weight.
    /// </summary>
    /// <param name="counts">Each stratum's counts since the start (cumulative: one interval from the first look).</param>
    /// <param name="weights">Each stratum's weight (relative, at least 0, not all 0).</param>
    /// <param name="alpha">The probability, over every look, that the weighted difference is ever above the bound; in (0, 1).</param>
    /// <param name="strata">Receives each stratum's own bound at its share of α (NaN for weight 0); as long as <paramref name="counts"/>.</param>
    /// <returns>The bound Σ wᵢ Uᵢ.</returns>
    /// <exception cref="ArgumentException">The spans' lengths differ, or a weight is negative, not finite, or all are 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or α is out of range.</exception>
    public static double Weighted(ReadOnlySpan<IntervalCounts> counts, ReadOnlySpan<double> weights, double alpha, Span<double> strata) =>
        Weighted(counts, weights, alpha, [], strata);

    /// <summary>
    /// Gets the weighted bound as <see cref="Weighted(ReadOnlySpan{IntervalCounts}, ReadOnlySpan{double}, double, Span{double})"/>
    /// does, for errors that arrive in clusters: stratum i's counts are read as count / φᵢ independent trials and events (the
    /// quasi-binomial reading: the rates are unchanged, their variance φᵢ times the binomial one), so its bound widens by about √φᵢ.
    /// </summary>
    /// <param name="counts">Each stratum's counts since the start (cumulative: one interval from the first look).</param>
    /// <param name="weights">Each stratum's weight (relative, at least 0, not all 0).</param>
    /// <param name="alpha">The probability, over every look, that the weighted difference is ever above the bound; in (0, 1).</param>
    /// <param name="dispersions">Each stratum's dispersion φᵢ ≥ 1 (the variance-to-mean ratio of its event counts; 1 for
    /// independent events); as long as <paramref name="counts"/>, or empty for 1 everywhere.</param>
    /// <param name="strata">Receives each stratum's own bound at its share of α (NaN for weight 0); as long as <paramref name="counts"/>.</param>
    /// <returns>The bound Σ wᵢ Uᵢ.</returns>
    /// <exception cref="ArgumentException">The spans' lengths differ, or a weight is negative, not finite, or all are 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count, α or a dispersion is out of range.</exception>
    public static double Weighted(ReadOnlySpan<IntervalCounts> counts, ReadOnlySpan<double> weights, double alpha, ReadOnlySpan<double> dispersions, Span<double> strata)
    {
        if (weights.Length != counts.Length || strata.Length != counts.Length || (dispersions.Length != 0 && dispersions.Length != counts.Length))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Counts, weights, dispersions and stratum bounds must be as long as each other, not {counts.Length}, {weights.Length}, {dispersions.Length} and {strata.Length}."), nameof(weights));
        }

        foreach (var phi in dispersions)
        {
            if (!(phi >= 1 && double.IsFinite(phi)))
            {
                throw new ArgumentOutOfRangeException(nameof(dispersions), phi, "A dispersion must be a finite number ≥ 1.");
            }
        }

        var sum = 0.0;
        foreach (var w in weights)
        {
            if (!(w >= 0 && double.IsFinite(w)))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Weights must be finite and at least 0, not {w}."), nameof(weights));
            }

            sum += w;
        }

        if (!(sum > 0))
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }

        var bound = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            var share = weights[i] / sum;
            if (share == 0)
            {
                strata[i] = double.NaN;
                continue;
            }

            var (c, phi) = (counts[i], dispersions.Length == 0 ? 1 : dispersions[i]);
            strata[i] = Stratum(c.CanaryEvents / phi, c.CanaryTrials / phi, c.BaselineEvents / phi, c.BaselineTrials / phi, alpha * share);
            bound += share * strata[i];
        }

        return bound;
    }
}
