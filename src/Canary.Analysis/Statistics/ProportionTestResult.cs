using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>The outcome of a <see cref="ProportionTest"/>: R's <c>prop.test</c> for one or two proportions.</summary>
public sealed class ProportionTestResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="statistic">Pearson's chi-squared statistic (R's <c>X-squared</c>, 1 degree of freedom).</param>
    /// <param name="pValue">The p-value.</param>
    /// <param name="estimate">The canary's proportion minus the baseline's, or the canary's proportion when tested against a floor.</param>
    /// <param name="confidenceInterval">The confidence interval for <paramref name="estimate"/>.</param>
    /// <param name="canaryProportion">The canary's observed proportion.</param>
    /// <param name="baselineProportion">The baseline's observed proportion, or <see langword="null"/> when tested against a floor.</param>
    /// <param name="floor">The floor tested against, or <see langword="null"/> for a two-sample test.</param>
    /// <param name="alternative">The alternative hypothesis tested.</param>
    /// <param name="method">R's method name, e.g. <c>2-sample test for equality of proportions with continuity correction</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> is <see langword="null"/>.</exception>
    public ProportionTestResult(
        double statistic,
        double pValue,
        double estimate,
        ConfidenceInterval confidenceInterval,
        double canaryProportion,
        double? baselineProportion,
        double? floor,
        Alternative alternative,
        string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        Statistic = statistic;
        PValue = pValue;
        Estimate = estimate;
        ConfidenceInterval = confidenceInterval;
        CanaryProportion = canaryProportion;
        BaselineProportion = baselineProportion;
        Floor = floor;
        Alternative = alternative;
        Method = method;
    }

    /// <summary>Gets Pearson's chi-squared statistic with 1 degree of freedom (R's <c>X-squared</c>).</summary>
    public double Statistic { get; }

    /// <summary>Gets the p-value for <see cref="Alternative"/>.</summary>
    public double PValue { get; }

    /// <summary>Gets the estimate: canary proportion − baseline proportion (two-sample), or the canary proportion (against a floor).</summary>
    public double Estimate { get; }

    /// <summary>
    /// Gets the confidence interval for <see cref="Estimate"/>: R's Wald interval for the difference (Yates-widened when corrected,
    /// clipped to [−1, 1]), or the Wilson score interval for one proportion (clipped to [0, 1]). One-sided tests give R's closed bound
    /// (−1, 0 or 1) on the open side.
    /// </summary>
    public ConfidenceInterval ConfidenceInterval { get; }

    /// <summary>Gets the canary's observed proportion (successes / trials).</summary>
    public double CanaryProportion { get; }

    /// <summary>Gets the baseline's observed proportion, or <see langword="null"/> when the canary was tested against a floor.</summary>
    public double? BaselineProportion { get; }

    /// <summary>Gets the floor the canary was tested against, or <see langword="null"/> for a two-sample test.</summary>
    public double? Floor { get; }

    /// <summary>Gets the alternative hypothesis tested.</summary>
    public Alternative Alternative { get; }

    /// <summary>Gets R's name of the method.</summary>
    public string Method { get; }

    /// <summary>Formats the result in one line, in the invariant culture.</summary>
    /// <returns>For example <c>X² = 1.71, p = 0.1916 (TwoSided), estimate = 0.02, [-0.00899, 0.049] (95 %)</c>.</returns>
    public override string ToString() =>
        string.Format(
            CultureInfo.InvariantCulture,
            "X² = {0:G4}, p = {1:G4} ({2}), estimate = {3:G6}, {4}",
            Statistic,
            PValue,
            Alternative,
            Estimate,
            ConfidenceInterval);
}
