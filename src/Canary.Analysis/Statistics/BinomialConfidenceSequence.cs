using System.Globalization;
using MathNet.Numerics;

namespace Canary.Analysis.Statistics;

/// <summary>
/// An always-valid confidence interval for a binomial rate (a confidence sequence): bounds that hold at every look
/// simultaneously, so they may be read after every window and acted on whenever they first suffice (optional stopping),
/// and that depend only on the cumulative counts, so a restart that keeps the counts continues the same sequence.
/// </summary>
/// <remarks>
/// <para>Construction (Robbins' conjugate mixture): with Beta(½, ½) as the mixing distribution, the mixture likelihood
/// ratio against a rate q after s events in n trials is M(q) = B(½ + s, ½ + n − s) / B(½, ½) / (q^s (1 − q)^(n − s)).
/// When the trials are independent with rate q (the number of trials per look may depend on the past, not on outcomes to
/// come), M(q) is a nonnegative martingale of mean 1, so by Ville's inequality it ever reaches 1/α with probability at most
/// α. The set {q : M(q) &lt; 1/α} is an interval (log M is convex in q); <see cref="Upper"/> and <see cref="Lower"/> are its
/// ends, each one-sided at α. With n fixed in advance the interval is wider than Clopper–Pearson's, the price of looking
/// at every n.</para>
/// <para>Counts are doubles so that projected (fractional) counts can be bounded too.</para>
/// </remarks>
public static class BinomialConfidenceSequence
{
    /// <summary>Both shape parameters of the Beta mixing distribution (Jeffreys' prior).</summary>
    public const double PriorShape = 0.5;

    private static readonly double LogBetaPrior = SpecialFunctions.BetaLn(PriorShape, PriorShape);

    /// <summary>Gets the logarithm of the mixture likelihood ratio M(q) against <paramref name="rate"/> (the e-value of the point null "the rate is q").</summary>
    /// <param name="events">The events so far, 0 ≤ events ≤ trials.</param>
    /// <param name="trials">The trials so far (finite, at least 0).</param>
    /// <param name="rate">The rate q tested, in [0, 1].</param>
    /// <returns>log M(q); +∞ when the counts are impossible at q (an event at q = 0, a non-event at q = 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or the rate is out of range.</exception>
    public static double LogEValue(double events, double trials, double rate)
    {
        CheckCounts(events, trials);
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be in [0, 1].");
        }

        var logLikelihood = LogLikelihood(events, trials - events, rate);
        return double.IsNegativeInfinity(logLikelihood) ? double.PositiveInfinity : LogMixture(events, trials) - logLikelihood;
    }

    /// <summary>Gets the always-valid upper confidence bound on the rate: the largest q with M(q) &lt; 1/α.</summary>
    /// <param name="events">The events so far, 0 ≤ events ≤ trials.</param>
    /// <param name="trials">The trials so far (finite, at least 0).</param>
    /// <param name="alpha">The probability, over every look, that the rate is ever above the bound; in (0, 1).</param>
    /// <returns>The bound in [events / trials, 1]; 1 without trials.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or α is out of range.</exception>
    public static double Upper(double events, double trials, double alpha)
    {
        CheckCounts(events, trials);
        CheckAlpha(alpha);
        return UpperBound(events, trials, alpha);
    }

    /// <summary>Gets the always-valid lower confidence bound on the rate: the smallest q with M(q) &lt; 1/α.</summary>
    /// <param name="events">The events so far, 0 ≤ events ≤ trials.</param>
    /// <param name="trials">The trials so far (finite, at least 0).</param>
    /// <param name="alpha">The probability, over every look, that the rate is ever below the bound; in (0, 1).</param>
    /// <returns>The bound in [0, events / trials]; 0 without trials.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or α is out of range.</exception>
    public static double Lower(double events, double trials, double alpha)
    {
        CheckCounts(events, trials);
        CheckAlpha(alpha);
        return 1 - UpperBound(trials - events, trials, alpha);
    }

    private static double UpperBound(double events, double trials, double alpha)
    {
        var failures = trials - events;
        if (trials <= 0 || failures <= 0)
        {
            return 1;
        }

        // Solve logLik(q) = log mixture + log α on (p̂, 1): logLik is concave, decreasing there and −∞ at 1.
        var target = LogMixture(events, trials) + Math.Log(alpha);
        var lo = events / trials;
        var hi = 1.0;
        var drop = LogLikelihood(events, failures, lo) - target;
        var x = lo + Math.Sqrt(2 * lo * (1 - lo) * drop / trials) + (drop / trials);
        for (var i = 0; i < 200 && hi - lo > 1e-15 * Math.Max(hi, 1e-300); i++)
        {
            if (!(x > lo && x < hi))
            {
                x = lo + ((hi - lo) / 2);
            }

            var f = LogLikelihood(events, failures, x) - target;
            if (f == 0)
            {
                return x;
            }

            (lo, hi) = f > 0 ? (x, hi) : (lo, x);
            var slope = (events > 0 ? events / x : 0) - (failures / (1 - x));
            var next = x - (f / slope);
            if (Math.Abs(next - x) <= 1e-15 * x)
            {
                return f > 0 ? next : x;
            }

            x = next;
        }

        return hi;
    }

    private static double LogMixture(double events, double trials) =>
        SpecialFunctions.BetaLn(PriorShape + events, PriorShape + trials - events) - LogBetaPrior;

    private static double LogLikelihood(double events, double failures, double rate) =>
        (events > 0 ? events * Math.Log(rate) : 0) + (failures > 0 ? failures * Math.Log(1 - rate) : 0);

    private static void CheckCounts(double events, double trials)
    {
        if (!(trials >= 0 && double.IsFinite(trials) && events >= 0 && events <= trials))
        {
            throw new ArgumentOutOfRangeException(nameof(events), string.Create(CultureInfo.InvariantCulture,
                $"Counts must be finite with 0 ≤ events ≤ trials, not {events} events in {trials} trials."));
        }
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be strictly between 0 and 1.");
        }
    }
}
