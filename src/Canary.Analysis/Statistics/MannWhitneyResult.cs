using System.Globalization;

namespace Canary.Analysis.Statistics;

/// <summary>The outcome of a Mann–Whitney (Wilcoxon rank-sum) test of a canary sample against a baseline sample.</summary>
public sealed class MannWhitneyResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="statistic">R's W for x = canary.</param>
    /// <param name="pValue">The p-value.</param>
    /// <param name="estimate">The Hodges–Lehmann shift canary − baseline.</param>
    /// <param name="confidenceInterval">The confidence interval for the shift.</param>
    /// <param name="isExact">Whether the exact distribution of W was used.</param>
    /// <param name="canaryCount">The number of canary values used.</param>
    /// <param name="baselineCount">The number of baseline values used.</param>
    /// <param name="alternative">The alternative hypothesis tested.</param>
    public MannWhitneyResult(
        double statistic,
        double pValue,
        double estimate,
        ConfidenceInterval confidenceInterval,
        bool isExact,
        int canaryCount,
        int baselineCount,
        Alternative alternative)
    {
        Statistic = statistic;
        PValue = pValue;
        Estimate = estimate;
        ConfidenceInterval = confidenceInterval;
        IsExact = isExact;
        CanaryCount = canaryCount;
        BaselineCount = baselineCount;
        Alternative = alternative;
    }

    /// <summary>Gets R's statistic W: the number of (canary − μ, baseline) pairs where the canary value is larger, ties counting ½.</summary>
    public double Statistic { get; }

    /// <summary>Gets the p-value for <see cref="Alternative"/>.</summary>
    public double PValue { get; }

    /// <summary>Gets the Hodges–Lehmann estimate of the shift canary − baseline (R's "difference in location").</summary>
    public double Estimate { get; }

    /// <summary>Gets the confidence interval for the shift canary − baseline; open on one side for one-sided alternatives.</summary>
    public ConfidenceInterval ConfidenceInterval { get; }

    /// <summary>Gets whether the exact distribution of W was used (otherwise the normal approximation).</summary>
    public bool IsExact { get; }

    /// <summary>Gets the number of canary values used (NaN values removed).</summary>
    public int CanaryCount { get; }

    /// <summary>Gets the number of baseline values used (NaN values removed).</summary>
    public int BaselineCount { get; }

    /// <summary>Gets the alternative hypothesis tested.</summary>
    public Alternative Alternative { get; }

    /// <summary>Formats the result in one line, in the invariant culture.</summary>
    /// <returns>For example <c>W = 12, p = 0.0317 (exact, two-sided), shift = -3.5, [-7, -1] (95 %), n = 5 vs 6</c>.</returns>
    public override string ToString() =>
        string.Format(
            CultureInfo.InvariantCulture,
            "W = {0:G6}, p = {1:G4} ({2}, {3}), shift = {4:G6}, {5}, n = {6} vs {7}",
            Statistic,
            PValue,
            IsExact ? "exact" : "normal approximation",
            Alternative,
            Estimate,
            ConfidenceInterval,
            CanaryCount,
            BaselineCount);
}
