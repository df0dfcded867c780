using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>The outcome of an exact <see cref="BinomialTest"/> of the canary's success proportion against a floor.</summary>
public sealed class BinomialTestResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="successes">The number of successes.</param>
    /// <param name="trials">The number of trials.</param>
    /// <param name="floor">The proportion under the null hypothesis.</param>
    /// <param name="pValue">The exact p-value.</param>
    /// <param name="confidenceInterval">The Clopper–Pearson interval for the proportion.</param>
    /// <param name="alternative">The alternative hypothesis tested.</param>
    public BinomialTestResult(long successes, long trials, double floor, double pValue, ConfidenceInterval confidenceInterval, Alternative alternative)
    {
        Successes = successes;
        Trials = trials;
        Floor = floor;
        PValue = pValue;
        ConfidenceInterval = confidenceInterval;
        Alternative = alternative;
    }

    /// <summary>Gets the number of successes (R's <c>statistic</c>).</summary>
    public long Successes { get; }

    /// <summary>Gets the number of trials (R's <c>parameter</c>).</summary>
    public long Trials { get; }

    /// <summary>Gets the proportion under the null hypothesis (R's <c>p</c>).</summary>
    public double Floor { get; }

    /// <summary>Gets the exact p-value for <see cref="Alternative"/>.</summary>
    public double PValue { get; }

    /// <summary>Gets the observed proportion, successes / trials.</summary>
    public double Estimate => (double)Successes / Trials;

    /// <summary>Gets the Clopper–Pearson confidence interval for the proportion; [0, upper] or [lower, 1] for one-sided tests.</summary>
    public ConfidenceInterval ConfidenceInterval { get; }

    /// <summary>Gets the alternative hypothesis tested.</summary>
    public Alternative Alternative { get; }

    /// <summary>Formats the result in one line, in the invariant culture.</summary>
    /// <returns>For example <c>96/100 vs 0.95: p = 0.8201 (TwoSided), [0.9007, 0.989] (95 %)</c>.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0}/{1} vs {2:G6}: p = {3:G4} ({4}), {5}", Successes, Trials, Floor, PValue, Alternative, ConfidenceInterval);
}
