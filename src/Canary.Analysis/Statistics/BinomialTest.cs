using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// The exact binomial test of the canary's success proportion against a fixed floor, equal to R's
/// <c>binom.test(successes, trials, p = floor, alternative, conf.level)</c>, with the Clopper–Pearson interval.
/// </summary>
/// <remarks>
/// The two-sided p-value is R's: the probability of every outcome no more likely than the observed one, with a relative
/// tolerance of 1e-7 on "no more likely". Densities follow R's <c>dbinom</c> (Loader's algorithm) and tails its <c>pbinom</c>
/// (regularised incomplete beta), so the p-value agrees with R to about 1e-10 relative (1e-12 away from extreme tails); interval bounds are inverted by bisection
/// to full double precision. Cost: O(log n) evaluations, whatever the number of trials.
/// </remarks>
public static class BinomialTest
{
    private const double RelativeError = 1 + 1e-7;

    /// <summary>Runs the test.</summary>
    /// <param name="successes">The canary's successes, between 0 and <paramref name="trials"/>.</param>
    /// <param name="trials">The canary's trials (requests); positive.</param>
    /// <param name="floor">The success proportion under the null hypothesis, strictly between 0 and 1 (R's <c>p</c>).</param>
    /// <param name="options">The options; <see cref="Alternative.Less"/> asks whether the canary is below the floor.</param>
    /// <returns>The exact p-value and the Clopper–Pearson interval.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="trials"/> is not positive, <paramref name="successes"/> is negative or above it, <paramref name="floor"/> is
    /// not strictly between 0 and 1, or the options are invalid.
    /// </exception>
    public static BinomialTestResult Test(long successes, long trials, double floor, ExactTestOptions? options = null)
    {
        Counts.CheckOneSample(successes, trials, floor, nameof(trials));
        options ??= new ExactTestOptions();
        Counts.CheckOptions(options.ConfidenceLevel, options.Alternative, nameof(options));
        Alternative alternative = options.Alternative;
        double level = options.ConfidenceLevel;
        double x = successes;
        double n = trials;

        double pValue = alternative switch
        {
            Alternative.Less => Binomial.Cdf(x, n, floor),
            Alternative.Greater => Binomial.Cdf(x - 1, n, floor, lowerTail: false),
            _ => Math.Min(1, TwoSidedPValue(x, n, floor)),
        };

        ConfidenceInterval interval = alternative switch
        {
            Alternative.Less => new ConfidenceInterval(0, Upper(x, n, 1 - level), level),
            Alternative.Greater => new ConfidenceInterval(Lower(x, n, 1 - level), 1, level),
            _ => new ConfidenceInterval(Lower(x, n, (1 - level) / 2), Upper(x, n, (1 - level) / 2), level),
        };

        return new BinomialTestResult(successes, trials, floor, pValue, interval, alternative);
    }

    private static double Lower(double x, double n, double alpha) => x == 0 ? 0 : BetaQuantile.Quantile(alpha, x, n - x + 1);

    private static double Upper(double x, double n, double alpha) => x == n ? 1 : BetaQuantile.Quantile(1 - alpha, x + 1, n - x);

    private static double TwoSidedPValue(double x, double n, double p)
    {
        double d = Binomial.Density(x, n, p) * RelativeError;
        double m = n * p;
        if (x == m)
        {
            return 1;
        }

        if (x < m)
        {
            // dbinom is non-increasing on [ceiling(m), n]: the outcomes with density ≤ d form a suffix [first, n].
            double lo = Math.Ceiling(m);
            double hi = n + 1;
            while (lo < hi)
            {
                double mid = Math.Floor((lo + hi) / 2);
                if (Binomial.Density(mid, n, p) <= d)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            double y = n + 1 - lo;
            return Binomial.Cdf(x, n, p) + Binomial.Cdf(n - y, n, p, lowerTail: false);
        }
        else
        {
            // dbinom is non-decreasing on [0, floor(m)]: the outcomes with density ≤ d form a prefix [0, y − 1].
            double lo = 0;
            double hi = Math.Floor(m) + 1;
            while (lo < hi)
            {
                double mid = Math.Floor((lo + hi) / 2);
                if (Binomial.Density(mid, n, p) <= d)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            double y = lo;
            return Binomial.Cdf(y - 1, n, p) + Binomial.Cdf(x - 1, n, p, lowerTail: false);
        }
    }
}
