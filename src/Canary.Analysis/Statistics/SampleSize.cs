using System.Globalization;
using Canary.Analysis.Statistics.Internal;

namespace Canary.Analysis.Statistics;

/// <summary>
/// How much data a canary analysis needs: data points for a given scrape interval, and requests per version
/// for comparing two success rates (R's <c>power.prop.test</c>).
/// </summary>
/// <remarks>
/// The proportion functions reproduce R 4.2's <c>power.prop.test</c> with its default <c>strict = FALSE</c>:
/// the power of the two-sided test counts only the tail in the direction of the difference, and the unknown
/// is found with a port of R's <c>uniroot</c> (tolerance <c>.Machine$double.eps^0.25</c> ≈ 1.2e-4, applied
/// to the unknown), so results equal R's to about 1e-9 relative. <see cref="Alternative.Less"/> and
/// <see cref="Alternative.Greater"/> both map to R's <c>"one.sided"</c>, which depends only on
/// |baseline − canary|: the direction of the difference is not checked.
/// </remarks>
public static class SampleSize
{
    /// <summary>The number of data points most statistical checks need, 50.</summary>
    public const int DefaultDataPoints = 50;

    /// <summary>Returns how long an analysis must run to collect <paramref name="dataPoints"/> samples at <paramref name="scrapeInterval"/>.</summary>
    /// <param name="scrapeInterval">The interval between two samples; must be positive.</param>
    /// <param name="dataPoints">The number of samples needed; must be positive. The default is 50.</param>
    /// <returns><paramref name="scrapeInterval"/> × <paramref name="dataPoints"/>: 15 s → 12.5 minutes, 60 s → 50 minutes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="scrapeInterval"/> is not positive, <paramref name="dataPoints"/> is not positive, or the product exceeds <see cref="TimeSpan.MaxValue"/>.
    /// </exception>
    public static TimeSpan MinimumDuration(TimeSpan scrapeInterval, int dataPoints = DefaultDataPoints)
    {
        if (scrapeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(scrapeInterval), scrapeInterval, "The scrape interval must be positive.");
        }

        if (dataPoints <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dataPoints), dataPoints, "The number of data points must be positive.");
        }

        if (scrapeInterval.Ticks > TimeSpan.MaxValue.Ticks / dataPoints)
        {
            throw new ArgumentOutOfRangeException(nameof(dataPoints), dataPoints, "The duration exceeds TimeSpan.MaxValue.");
        }

        return TimeSpan.FromTicks(scrapeInterval.Ticks * dataPoints);
    }

    /// <summary>Returns how many whole samples a window of <paramref name="duration"/> holds at <paramref name="scrapeInterval"/>.</summary>
    /// <param name="duration">The length of the window; must not be negative.</param>
    /// <param name="scrapeInterval">The interval between two samples; must be positive.</param>
    /// <returns>⌊<paramref name="duration"/> / <paramref name="scrapeInterval"/>⌋, capped at <see cref="int.MaxValue"/>; 12.5 minutes at 15 s → 50.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative or <paramref name="scrapeInterval"/> is not positive.</exception>
    public static int DataPoints(TimeSpan duration, TimeSpan scrapeInterval)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must not be negative.");
        }

        if (scrapeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(scrapeInterval), scrapeInterval, "The scrape interval must be positive.");
        }

        return (int)Math.Min(int.MaxValue, duration.Ticks / scrapeInterval.Ticks);
    }

    /// <summary>
    /// Returns the number of requests each version needs so that a test of their success rates at level
    /// <paramref name="alpha"/> detects the difference with probability <paramref name="power"/>.
    /// </summary>
    /// <param name="baselineSuccessRate">The baseline's success rate, in (0, 1) (R's <c>p1</c>).</param>
    /// <param name="canarySuccessRate">The canary's success rate to detect, in (0, 1) and different from the baseline's (R's <c>p2</c>).</param>
    /// <param name="alpha">The false-alarm rate (R's <c>sig.level</c>), in (0, 1). The default is 0.05.</param>
    /// <param name="power">The probability of detecting the difference, in (0, 1). The default is 0.8.</param>
    /// <param name="alternative"><see cref="Alternative.TwoSided"/> for R's <c>"two.sided"</c>; <see cref="Alternative.Less"/> or <see cref="Alternative.Greater"/> for <c>"one.sided"</c>.</param>
    /// <returns>R's <c>power.prop.test(p1 = baseline, p2 = canary, sig.level = alpha, power = power, alternative = …)$n</c>: requests per version, not rounded.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A rate, <paramref name="alpha"/> or <paramref name="power"/> is outside (0, 1), or <paramref name="alternative"/> is not defined.</exception>
    /// <exception cref="ArgumentException">The two rates are equal, or no positive number of requests reaches <paramref name="power"/> (R stops with an error).</exception>
    public static double RequestsPerVersion(
        double baselineSuccessRate,
        double canarySuccessRate,
        double alpha = 0.05,
        double power = 0.8,
        Alternative alternative = Alternative.TwoSided)
    {
        CheckProbability(baselineSuccessRate, nameof(baselineSuccessRate));
        CheckProbability(canarySuccessRate, nameof(canarySuccessRate));
        CheckProbability(alpha, nameof(alpha));
        CheckProbability(power, nameof(power));
        double upperQuantile = UpperQuantile(alpha, alternative);
        if (baselineSuccessRate == canarySuccessRate)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The success rates must differ; both are {0}.", baselineSuccessRate),
                nameof(canarySuccessRate));
        }

        double p1 = baselineSuccessRate;
        double p2 = canarySuccessRate;
        double n = RootFinder.Uniroot(
            n => Power(n, p1, p2, upperQuantile) - power,
            1,
            1e7,
            RootFinder.DefaultTolerance,
            ExtendInterval.UpX);
        if (double.IsNaN(n))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "No positive number of requests gives power {0} for {1} vs {2}.", power, p1, p2),
                nameof(power));
        }

        return n;
    }

    /// <summary>
    /// Returns the smallest drop below <paramref name="baselineSuccessRate"/> that a test on
    /// <paramref name="requestsPerVersion"/> requests per version detects with probability <paramref name="power"/>.
    /// </summary>
    /// <param name="baselineSuccessRate">The baseline's success rate, in (0, 1).</param>
    /// <param name="requestsPerVersion">The number of requests each version gets; must be positive and finite.</param>
    /// <param name="alpha">The false-alarm rate, in (0, 1). The default is 0.05.</param>
    /// <param name="power">The probability of detecting the drop, in (0, 1). The default is 0.8.</param>
    /// <param name="alternative"><see cref="Alternative.TwoSided"/> for R's <c>"two.sided"</c>; <see cref="Alternative.Less"/> or <see cref="Alternative.Greater"/> for <c>"one.sided"</c>.</param>
    /// <returns>
    /// baseline − <c>power.prop.test(n = requests, p2 = baseline, sig.level = alpha, power = power, alternative = …)$p1</c>
    /// (R solves for the lower rate in [0, baseline]); <see cref="double.NaN"/> when even a canary success rate of 0
    /// would not be detected with that power (R then warns and returns a rate below 0).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range, or <paramref name="alternative"/> is not defined.</exception>
    public static double MinimumDetectableDrop(
        double baselineSuccessRate,
        double requestsPerVersion,
        double alpha = 0.05,
        double power = 0.8,
        Alternative alternative = Alternative.TwoSided)
    {
        CheckProbability(baselineSuccessRate, nameof(baselineSuccessRate));
        CheckProbability(alpha, nameof(alpha));
        CheckProbability(power, nameof(power));
        if (!(requestsPerVersion > 0) || double.IsInfinity(requestsPerVersion))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerVersion), requestsPerVersion, "The number of requests must be positive and finite.");
        }

        double upperQuantile = UpperQuantile(alpha, alternative);
        double p2 = baselineSuccessRate;
        double n = requestsPerVersion;
        double p1 = RootFinder.Uniroot(
            p1 => Power(n, p1, p2, upperQuantile) - power,
            0,
            p2,
            RootFinder.DefaultTolerance,
            ExtendInterval.Yes);
        return double.IsNaN(p1) || p1 < 0 || p1 > p2 ? double.NaN : p2 - p1;
    }

    /// <summary>
    /// Returns how long an endpoint must serve traffic before both versions have the requests
    /// <see cref="RequestsPerVersion"/> asks for.
    /// </summary>
    /// <param name="requestsPerSecond">The endpoint's total request rate across both versions; must be finite and not negative.</param>
    /// <param name="canaryWeight">The canary's share of that traffic, in (0, 1].</param>
    /// <param name="baselineSuccessRate">The baseline's success rate, in (0, 1).</param>
    /// <param name="canarySuccessRate">The canary's success rate to detect, in (0, 1) and different from the baseline's.</param>
    /// <param name="alpha">The false-alarm rate, in (0, 1). The default is 0.05.</param>
    /// <param name="power">The probability of detecting the difference, in (0, 1). The default is 0.8.</param>
    /// <param name="alternative">As for <see cref="RequestsPerVersion"/>.</param>
    /// <param name="baselineShare">
    /// The share of traffic the compared baseline gets, in [0, 1] with <paramref name="canaryWeight"/> + share ≤ 1;
    /// <see langword="null"/> (the default) means 1 − <paramref name="canaryWeight"/> (every non-canary request is baseline).
    /// </param>
    /// <returns>
    /// The larger of n / (rate × weight) and n / (rate × baselineShare), rounded up to a whole tick, where n is
    /// <see cref="RequestsPerVersion"/>; <see cref="TimeSpan.MaxValue"/> when the rate or a share is 0 (the evidence never
    /// arrives) or the time exceeds <see cref="TimeSpan.MaxValue"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    /// <exception cref="ArgumentException">As for <see cref="RequestsPerVersion"/>.</exception>
    public static TimeSpan TimeToEvidence(
        double requestsPerSecond,
        double canaryWeight,
        double baselineSuccessRate,
        double canarySuccessRate,
        double alpha = 0.05,
        double power = 0.8,
        Alternative alternative = Alternative.TwoSided,
        double? baselineShare = null)
    {
        if (!(requestsPerSecond >= 0) || double.IsInfinity(requestsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "The request rate must be finite and not negative.");
        }

        if (!(canaryWeight > 0 && canaryWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(canaryWeight), canaryWeight, "The canary weight must be in (0, 1].");
        }

        double share = baselineShare ?? (1 - canaryWeight);
        if (!(share >= 0 && share <= 1) || canaryWeight + share > 1 + 1e-12)
        {
            throw new ArgumentOutOfRangeException(nameof(baselineShare), baselineShare, "The baseline share must be in [0, 1] and at most 1 − canaryWeight.");
        }

        double n = RequestsPerVersion(baselineSuccessRate, canarySuccessRate, alpha, power, alternative);
        double slowest = Math.Min(canaryWeight, share);
        double seconds = n / (requestsPerSecond * slowest);
        double ticks = Math.Ceiling(seconds * TimeSpan.TicksPerSecond);
        return double.IsNaN(ticks) || ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The body of R's <c>power.prop.test</c> with <c>strict = FALSE</c>.</summary>
    internal static double Power(double n, double p1, double p2, double upperQuantile) =>
        StandardNormal.Cdf(
            ((Math.Sqrt(n) * Math.Abs(p1 - p2)) - (upperQuantile * Math.Sqrt((p1 + p2) * (1 - ((p1 + p2) / 2)))))
            / Math.Sqrt((p1 * (1 - p1)) + (p2 * (1 - p2))));

    private static double UpperQuantile(double alpha, Alternative alternative)
    {
        int sides = alternative switch
        {
            Alternative.TwoSided => 2,
            Alternative.Less or Alternative.Greater => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative."),
        };
        return StandardNormal.Quantile(alpha / sides, lowerTail: false);
    }

    private static void CheckProbability(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be strictly between 0 and 1.");
        }
    }
}
