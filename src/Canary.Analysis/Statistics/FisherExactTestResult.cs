using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>The outcome of <see cref="FisherExactTest"/> on the 2×2 table of canary and baseline successes and failures.</summary>
public sealed class FisherExactTestResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="pValue">The exact p-value.</param>
    /// <param name="oddsRatio">The conditional maximum-likelihood odds ratio (canary's odds of success over the baseline's).</param>
    /// <param name="confidenceInterval">The conditional confidence interval for the odds ratio.</param>
    /// <param name="alternative">The alternative hypothesis tested.</param>
    public FisherExactTestResult(double pValue, double oddsRatio, ConfidenceInterval confidenceInterval, Alternative alternative)
    {
        PValue = pValue;
        OddsRatio = oddsRatio;
        ConfidenceInterval = confidenceInterval;
        Alternative = alternative;
    }

    /// <summary>Gets the exact p-value for <see cref="Alternative"/>.</summary>
    public double PValue { get; }

    /// <summary>
    /// Gets R's conditional maximum-likelihood estimate of the odds ratio (canary odds of success / baseline odds of success):
    /// 0 when the canary's count is the smallest the margins allow, +∞ when it is the largest.
    /// </summary>
    public double OddsRatio { get; }

    /// <summary>Gets the conditional confidence interval for the odds ratio; [0, upper] or [lower, +∞] for one-sided tests.</summary>
    public ConfidenceInterval ConfidenceInterval { get; }

    /// <summary>Gets the alternative hypothesis tested.</summary>
    public Alternative Alternative { get; }

    /// <summary>Formats the result in one line, in the invariant culture.</summary>
    /// <returns>For example <c>p = 0.0325 (TwoSided), odds ratio = 0.21, [0.04, 0.92] (95 %)</c>.</returns>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "p = {0:G4} ({1}), odds ratio = {2:G6}, {3}", PValue, Alternative, OddsRatio, ConfidenceInterval);
}
