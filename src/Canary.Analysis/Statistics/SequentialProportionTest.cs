using System.Globalization;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// An always-valid sequential test of "the canary's event (error) rate equals the baseline's", built on exact counts: it may look
/// after every interval, and stop at the first look whose e-value reaches 1/α, while the probability that a healthy canary ever
/// crosses stays ≤ α over all looks together.
/// </summary>
/// <remarks>
/// <para>
/// <b>The evidence.</b> Within each interval between two looks, condition on the total number of events E = e_canary + e_baseline.
/// If both versions have the same event rate, each event falls on the canary with probability s = canary trials / all trials of that
/// interval, so e_canary | E is Binomial(E, s) (for Poisson counts exactly; for binomial counts it is hypergeometric, which is smaller
/// in convex order, so everything below stays valid). If the canary's rate is ρ times the baseline's, that probability is
/// ρs / (1 + s(ρ − 1)), and the likelihood ratio of the interval is ρ^e_canary / (1 + s(ρ − 1))^E. Their product over the intervals is
/// a test martingale for each ρ; the e-value is its average over a prior on ρ (24 rate ratios spread evenly in log scale between
/// <see cref="SequentialTestOptions.MinimumRateRatio"/> and <see cref="SequentialTestOptions.MaximumRateRatio"/>, equal weights; the
/// inverse ratios for <see cref="Alternative.Less"/>, both halves for <see cref="Alternative.TwoSided"/>). By Ville's inequality
/// P(sup e-value ≥ 1/α) ≤ α under the null hypothesis.
/// </para>
/// <para>
/// <b>Why this shape.</b> No normal approximation (DESIGN.md: one error among a handful of requests is not z ≈ 4.4); the baseline's
/// rate is never estimated, so it may be unknown, tiny, or drift with the time of day; the traffic split may change between looks
/// (each interval uses its own share); a discrete prior is an exact mixture, not a quadrature approximation, so the guarantee holds
/// exactly. Assumptions: events are independent given the trials, and the look schedule does not depend on the canary's events
/// beyond what has been seen (any stopping rule is fine).
/// </para>
/// </remarks>
public static class SequentialProportionTest
{
    /// <summary>Evaluates the test on the cumulative counts seen at each look so far.</summary>
    /// <param name="cumulativeLooks">
    /// The counts since the start at each look, in time order; each count is non-decreasing from look to look (a counter reset must be
    /// handled by the caller). An empty list gives e-value 1 and no crossing.
    /// </param>
    /// <param name="options">The options; <see langword="null"/> means the defaults of <see cref="SequentialTestOptions"/>.</param>
    /// <returns>The e-values per look, the always-valid p-value, whether and when the boundary 1/α was crossed, and a reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cumulativeLooks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A count is negative, events exceed trials, a count decreases from one look to the next, or the options are invalid (α not
    /// strictly between 0 and 1, undefined alternative, rate ratios not 1 &lt; minimum &lt; maximum and finite).
    /// </exception>
    public static SequentialTestResult Evaluate(IReadOnlyList<SequentialLook> cumulativeLooks, SequentialTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cumulativeLooks);
        options ??= new SequentialTestOptions();
        double alpha = options.Alpha;
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "Alpha must be strictly between 0 and 1; it is {0}.", alpha), nameof(options));
        }

        Counts.CheckAlternative(options.Alternative, nameof(options));
        double minRatio = options.MinimumRateRatio;
        double maxRatio = options.MaximumRateRatio;
        if (!(minRatio > 1 && maxRatio > minRatio && double.IsFinite(maxRatio)))
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "The rate ratios must satisfy 1 < MinimumRateRatio < MaximumRateRatio < ∞; they are {0} and {1}.",
                    minRatio,
                    maxRatio),
                nameof(options));
        }

        var evidence = new SequentialRateRatioEvidence(options.Alternative, minRatio, maxRatio);
        var eValues = new double[cumulativeLooks.Count];
        double threshold = 1 / alpha;
        int? crossing = null;
        var previous = new SequentialLook(0, 0, 0, 0);
        for (int i = 0; i < cumulativeLooks.Count; i++)
        {
            SequentialLook look = cumulativeLooks[i];
            Check(look, previous, i, nameof(cumulativeLooks));
            evidence = evidence.Add(new IntervalCounts(
                look.CanaryEvents - previous.CanaryEvents,
                look.CanaryTrials - previous.CanaryTrials,
                look.BaselineEvents - previous.BaselineEvents,
                look.BaselineTrials - previous.BaselineTrials));
            eValues[i] = evidence.EValue;
            if (crossing is null && eValues[i] >= threshold)
            {
                crossing = i + 1;
            }

            previous = look;
        }

        SequentialLook? last = cumulativeLooks.Count == 0 ? null : previous;
        return new SequentialTestResult(eValues, alpha, crossing, last, Reason(eValues, threshold, crossing, last, options.Alternative));
    }

    private static void Check(SequentialLook look, SequentialLook previous, int index, string name)
    {
        if (look.CanaryEvents < 0 || look.CanaryTrials < 0 || look.BaselineEvents < 0 || look.BaselineTrials < 0
            || look.CanaryEvents > look.CanaryTrials || look.BaselineEvents > look.BaselineTrials)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "Look {0} has negative counts or more events than trials: {1}.", index + 1, look),
                name);
        }

        if (look.CanaryEvents < previous.CanaryEvents || look.CanaryTrials < previous.CanaryTrials
            || look.BaselineEvents < previous.BaselineEvents || look.BaselineTrials < previous.BaselineTrials)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "Look {0} has a smaller cumulative count than look {1} (counter reset?): {2} after {3}.",
                    index + 1,
                    index,
                    look,
                    previous),
                name);
        }
    }

    private static string Reason(double[] eValues, double threshold, int? crossing, SequentialLook? last, Alternative alternative)
    {
        if (last is not { } l)
        {
            return "no looks yet: e-value 1";
        }

        string counts = string.Format(
            CultureInfo.InvariantCulture,
            "canary {0}/{1} ({2:0.###} %) vs baseline {3}/{4} ({5:0.###} %)",
            l.CanaryEvents,
            l.CanaryTrials,
            Percent(l.CanaryEvents, l.CanaryTrials),
            l.BaselineEvents,
            l.BaselineTrials,
            Percent(l.BaselineEvents, l.BaselineTrials));
        string direction = alternative switch
        {
            Alternative.Greater => "higher",
            Alternative.Less => "lower",
            _ => "different",
        };
        if (crossing is { } c)
        {
            return string.Format(
                CultureInfo.InvariantCulture,
                "{0}: e-value {1:G3} ≥ {2:G3} = 1/α at look {3} of {4}; the canary's event rate is {5}",
                counts,
                eValues[c - 1],
                threshold,
                c,
                eValues.Length,
                direction);
        }

        return string.Format(
            CultureInfo.InvariantCulture,
            "{0}: e-value {1:G3} < {2:G3} = 1/α after {3} looks (always-valid p = {4:G3}); no evidence the canary's rate is {5} yet",
            counts,
            eValues[^1],
            threshold,
            eValues.Length,
            Math.Min(1, 1 / Math.Max(1, eValues.Max())),
            direction);
    }

    private static double Percent(long events, long trials) => trials == 0 ? 0 : 100.0 * events / trials;
}
