using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// Pearson's chi-squared test for proportions of success counts, equal to R's <c>prop.test</c>: the canary against the baseline
/// (<see cref="TwoSample"/>) or the canary against a fixed floor (<see cref="AgainstFloor"/>).
/// </summary>
/// <remarks>
/// <para>
/// The statistic is R's <c>X-squared</c> with Yates' correction min(½, |observed − expected|) when
/// <see cref="ProportionTestOptions.ContinuityCorrection"/> is set; the two-sided p-value is its upper chi-squared tail (1 degree of
/// freedom), a one-sided p-value the normal tail of ±√X². Agreement with R: p-values and intervals to 1e-12 relative.
/// </para>
/// <para>
/// This is a large-sample approximation. With few successes or failures (R warns when an expected count is below 5) prefer
/// <see cref="FisherExactTest"/> (canary vs baseline) or <see cref="BinomialTest"/> (canary vs floor); and never repeat it at every
/// interval with a fixed α — use <see cref="SequentialProportionTest"/> for that.
/// </para>
/// <para>
/// <b>Deviation from R.</b> When the pooled proportion is 0 or 1 (no successes, or no failures, on either side) R's statistic is
/// 0/0 = NaN and so is its p-value; here the statistic is 0 and the p-value 1 (the two samples are identical). The interval is R's [0, 0].
/// </para>
/// </remarks>
public static class ProportionTest
{
    /// <summary>
    /// Tests whether the canary's success proportion differs from the baseline's: R's
    /// <c>prop.test(x = c(canarySuccesses, baselineSuccesses), n = c(canaryTotal, baselineTotal), …)</c>.
    /// </summary>
    /// <param name="canarySuccesses">The canary's successes, between 0 and <paramref name="canaryTotal"/>.</param>
    /// <param name="canaryTotal">The canary's trials (requests); positive.</param>
    /// <param name="baselineSuccesses">The baseline's successes, between 0 and <paramref name="baselineTotal"/>.</param>
    /// <param name="baselineTotal">The baseline's trials (requests); positive.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults of <see cref="ProportionTestOptions"/>.</param>
    /// <returns>The statistic, the p-value, the difference canary − baseline and its confidence interval.</returns>
    /// <exception cref="ArgumentException">
    /// A total is not positive, a success count is negative or above its total, or the options are invalid (level not strictly
    /// between 0 and 1, undefined alternative).
    /// </exception>
    public static ProportionTestResult TwoSample(
        long canarySuccesses,
        long canaryTotal,
        long baselineSuccesses,
        long baselineTotal,
        ProportionTestOptions? options = null)
    {
        Counts.CheckTwoSamples(canarySuccesses, canaryTotal, baselineSuccesses, baselineTotal);
        options ??= new ProportionTestOptions();
        Counts.CheckOptions(options.ConfidenceLevel, options.Alternative, nameof(options));
        Alternative alternative = options.Alternative;

        double x1 = canarySuccesses;
        double n1 = canaryTotal;
        double x2 = baselineSuccesses;
        double n2 = baselineTotal;
        double p1 = x1 / n1;
        double p2 = x2 / n2;
        double delta = p1 - p2;
        double inverseSum = (1 / n1) + (1 / n2);
        double yates = Math.Min(options.ContinuityCorrection ? 0.5 : 0, Math.Abs(delta) / inverseSum);
        double z = Quantile(alternative, options.ConfidenceLevel);
        double width = (z * Math.Sqrt((p1 * (1 - p1) / n1) + (p2 * (1 - p2) / n2))) + (yates * inverseSum);
        var interval = alternative switch
        {
            Alternative.Less => new ConfidenceInterval(-1, Math.Min(delta + width, 1), options.ConfidenceLevel),
            Alternative.Greater => new ConfidenceInterval(Math.Max(delta - width, -1), 1, options.ConfidenceLevel),
            _ => new ConfidenceInterval(Math.Max(delta - width, -1), Math.Min(delta + width, 1), options.ConfidenceLevel),
        };

        double pooled = (x1 + x2) / (n1 + n2);
        double statistic;
        double pValue;
        if (pooled == 0 || pooled == 1)
        {
            statistic = 0;
            pValue = 1;
        }
        else
        {
            statistic = Term(x1, n1 * pooled, yates) + Term(x2, n2 * pooled, yates)
                + Term(n1 - x1, n1 * (1 - pooled), yates) + Term(n2 - x2, n2 * (1 - pooled), yates);
            pValue = PValue(statistic, delta, alternative);
        }

        string method = "2-sample test for equality of proportions " + (yates != 0 ? "with" : "without") + " continuity correction";
        return new ProportionTestResult(statistic, pValue, delta, interval, p1, p2, floor: null, alternative, method);
    }

    /// <summary>
    /// Tests the canary's success proportion against a fixed floor: R's <c>prop.test(x, n, p = floor, …)</c>, with the Wilson score
    /// interval (continuity-corrected when <see cref="ProportionTestOptions.ContinuityCorrection"/> is set).
    /// </summary>
    /// <param name="successes">The canary's successes, between 0 and <paramref name="total"/>.</param>
    /// <param name="total">The canary's trials (requests); positive.</param>
    /// <param name="floor">The proportion under the null hypothesis, strictly between 0 and 1 (R's <c>p</c>).</param>
    /// <param name="options">The options; <see cref="Alternative.Less"/> asks whether the canary is below the floor.</param>
    /// <returns>The statistic, the p-value, the canary's proportion and its confidence interval.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="total"/> is not positive, <paramref name="successes"/> is negative or above it, <paramref name="floor"/> is not
    /// strictly between 0 and 1, or the options are invalid.
    /// </exception>
    public static ProportionTestResult AgainstFloor(long successes, long total, double floor, ProportionTestOptions? options = null)
    {
        Counts.CheckOneSample(successes, total, floor, nameof(total));
        options ??= new ProportionTestOptions();
        Counts.CheckOptions(options.ConfidenceLevel, options.Alternative, nameof(options));
        Alternative alternative = options.Alternative;

        double x = successes;
        double n = total;
        double estimate = x / n;
        double yates = Math.Min(options.ContinuityCorrection ? 0.5 : 0, Math.Abs(x - (n * floor)));
        double z = Quantile(alternative, options.ConfidenceLevel);
        double z22n = z * z / (2 * n);
        double pc = estimate + (yates / n);
        double upper = pc >= 1 ? 1 : (pc + z22n + (z * Math.Sqrt((pc * (1 - pc) / n) + (z22n / (2 * n))))) / (1 + (2 * z22n));
        pc = estimate - (yates / n);
        double lower = pc <= 0 ? 0 : (pc + z22n - (z * Math.Sqrt((pc * (1 - pc) / n) + (z22n / (2 * n))))) / (1 + (2 * z22n));
        var interval = alternative switch
        {
            Alternative.Less => new ConfidenceInterval(0, Math.Min(upper, 1), options.ConfidenceLevel),
            Alternative.Greater => new ConfidenceInterval(Math.Max(lower, 0), 1, options.ConfidenceLevel),
            _ => new ConfidenceInterval(Math.Max(lower, 0), Math.Min(upper, 1), options.ConfidenceLevel),
        };

        double statistic = Term(x, n * floor, yates) + Term(n - x, n * (1 - floor), yates);
        double pValue = PValue(statistic, estimate - floor, alternative);
        string method = "1-sample proportions test " + (yates != 0 ? "with" : "without") + " continuity correction";
        return new ProportionTestResult(statistic, pValue, estimate, interval, estimate, baselineProportion: null, floor, alternative, method);
    }

    private static double Quantile(Alternative alternative, double level) =>
        StandardNormal.Quantile(alternative == Alternative.TwoSided ? (1 + level) / 2 : level);

    private static double Term(double observed, double expected, double yates)
    {
        double d = Math.Abs(observed - expected) - yates;
        return d * d / expected;
    }

    private static double PValue(double statistic, double direction, Alternative alternative)
    {
        double root = Math.Sqrt(statistic);
        return alternative switch
        {
            Alternative.TwoSided => 2 * StandardNormal.Cdf(-root),
            _ => StandardNormal.Cdf(Math.Sign(direction) * root, lowerTail: alternative == Alternative.Less),
        };
    }
}
