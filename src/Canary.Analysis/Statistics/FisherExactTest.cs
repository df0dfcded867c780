using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// Fisher's exact test for the 2×2 table of canary and baseline successes and failures, equal to R's
/// <c>fisher.test(matrix(c(canarySuccesses, canaryFailures, baselineSuccesses, baselineFailures), 2), alternative, conf.level)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The odds ratio is the canary's odds of success over the baseline's; <see cref="Alternative.Less"/> asks whether the canary
/// succeeds less often. The two-sided p-value is R's: the probability of every table no more likely than the observed one, with a
/// relative tolerance of 1e-7. The estimate is R's conditional maximum-likelihood odds ratio and the interval R's conditional
/// interval, both roots that R's <c>uniroot</c> (tolerance ≈ 1.2e-4) finds on the noncentral hypergeometric distribution; this class
/// runs a port of the same solver on the same function, so its roots are R's iterates (agreement better than 1e-10 relative, far inside
/// R's own tolerance).
/// </para>
/// <para>
/// Cost: O(support) per evaluation, where the support is at most min(total successes, total failures, canary trials, baseline
/// trials) + 1 tables; the estimate and interval take a few dozen evaluations. Exact on sparse counts, which is where it matters.
/// </para>
/// </remarks>
public static class FisherExactTest
{
    private const double RelativeError = 1 + 1e-7;

    /// <summary>Runs the test.</summary>
    /// <param name="canarySuccesses">The canary's successes, between 0 and <paramref name="canaryTotal"/>.</param>
    /// <param name="canaryTotal">The canary's trials (requests); positive.</param>
    /// <param name="baselineSuccesses">The baseline's successes, between 0 and <paramref name="baselineTotal"/>.</param>
    /// <param name="baselineTotal">The baseline's trials (requests); positive.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults of <see cref="ExactTestOptions"/>.</param>
    /// <returns>The exact p-value, the conditional MLE odds ratio and its interval.</returns>
    /// <exception cref="ArgumentException">
    /// A total is not positive, a success count is negative or above its total, or the options are invalid.
    /// </exception>
    public static FisherExactTestResult Test(
        long canarySuccesses,
        long canaryTotal,
        long baselineSuccesses,
        long baselineTotal,
        ExactTestOptions? options = null)
    {
        Counts.CheckTwoSamples(canarySuccesses, canaryTotal, baselineSuccesses, baselineTotal);
        options ??= new ExactTestOptions();
        Counts.CheckOptions(options.ConfidenceLevel, options.Alternative, nameof(options));
        Alternative alternative = options.Alternative;
        double level = options.ConfidenceLevel;

        long x = canarySuccesses;
        var distribution = new NoncentralHypergeometric(canaryTotal, baselineTotal, canarySuccesses + baselineSuccesses);
        long lo = distribution.Low;

        double pValue;
        switch (alternative)
        {
            case Alternative.Less:
                pValue = distribution.Cdf(x, 1, upperTail: false);
                break;
            case Alternative.Greater:
                pValue = distribution.Cdf(x, 1, upperTail: true);
                break;
            default:
                double[] d = distribution.Density(1);
                double threshold = d[x - lo] * RelativeError;
                pValue = 0;
                foreach (double di in d)
                {
                    if (di <= threshold)
                    {
                        pValue += di;
                    }
                }

                break;
        }

        double estimate = MaximumLikelihood(distribution, x);
        ConfidenceInterval interval = alternative switch
        {
            Alternative.Less => new ConfidenceInterval(0, UpperBound(distribution, x, 1 - level), level),
            Alternative.Greater => new ConfidenceInterval(LowerBound(distribution, x, 1 - level), double.PositiveInfinity, level),
            _ => new ConfidenceInterval(LowerBound(distribution, x, (1 - level) / 2), UpperBound(distribution, x, (1 - level) / 2), level),
        };

        return new FisherExactTestResult(pValue, estimate, interval, alternative);
    }

    private static double Uniroot(Func<double, double> f, double lower, double upper) =>
        RootFinder.Uniroot(f, lower, upper, RootFinder.DefaultTolerance);

    private static double MaximumLikelihood(NoncentralHypergeometric distribution, long x)
    {
        if (x == distribution.Low)
        {
            return 0;
        }

        if (x == distribution.High)
        {
            return double.PositiveInfinity;
        }

        double mu = distribution.Mean(1);
        if (mu > x)
        {
            return Uniroot(t => distribution.Mean(t) - x, 0, 1);
        }

        if (mu < x)
        {
            return 1 / Uniroot(t => distribution.Mean(1 / t) - x, RootFinder.DblEpsilon, 1);
        }

        return 1;
    }

    private static double UpperBound(NoncentralHypergeometric distribution, long x, double alpha)
    {
        if (x == distribution.High)
        {
            return double.PositiveInfinity;
        }

        double p = distribution.Cdf(x, 1, upperTail: false);
        if (p < alpha)
        {
            return Uniroot(t => distribution.Cdf(x, t, upperTail: false) - alpha, 0, 1);
        }

        if (p > alpha)
        {
            return 1 / Uniroot(t => distribution.Cdf(x, 1 / t, upperTail: false) - alpha, RootFinder.DblEpsilon, 1);
        }

        return 1;
    }

    private static double LowerBound(NoncentralHypergeometric distribution, long x, double alpha)
    {
        if (x == distribution.Low)
        {
            return 0;
        }

        double p = distribution.Cdf(x, 1, upperTail: true);
        if (p > alpha)
        {
            return Uniroot(t => distribution.Cdf(x, t, upperTail: true) - alpha, 0, 1);
        }

        if (p < alpha)
        {
            return 1 / Uniroot(t => distribution.Cdf(x, 1 / t, upperTail: true) - alpha, RootFinder.DblEpsilon, 1);
        }

        return 1;
    }
}
