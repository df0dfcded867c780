using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>The classification of one metric, with the numbers behind it.</summary>
/// <remarks>
/// Numbers that were not computed (an empty side, identical data) are NaN; <see cref="ConfidenceInterval"/> then has NaN
/// bounds. Unlike Kayenta, every compared metric carries R's p-value next to Kayenta's interval.
/// </remarks>
public sealed class MetricResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="groups">The groups the metric counts in.</param>
    /// <param name="classification">The classification.</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <param name="isCritical">Whether a non-Pass classification fails the whole canary.</param>
    /// <param name="isMuted">Whether the metric is left out of the score.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/>, <paramref name="groups"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    public MetricResult(
        string name,
        IReadOnlyList<string> groups,
        MetricClassification classification,
        string reason,
        bool isCritical = false,
        bool isMuted = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(reason);
        Name = name;
        Groups = groups.ToArray();
        Classification = classification;
        Reason = reason;
        IsCritical = isCritical;
        IsMuted = isMuted;
    }

    /// <summary>Gets the metric name.</summary>
    public string Name { get; }

    /// <summary>Gets the groups the metric counts in.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Gets the classification.</summary>
    public MetricClassification Classification { get; }

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; }

    /// <summary>Gets whether a non-Pass classification fails the whole canary (Kayenta's <c>critical</c> flag of the result).</summary>
    public bool IsCritical { get; }

    /// <summary>Gets whether the metric is left out of the score.</summary>
    public bool IsMuted { get; }

    /// <summary>Gets the Hodges–Lehmann shift canary − baseline as Kayenta computes it (NaN when not compared).</summary>
    public double Estimate { get; init; } = double.NaN;

    /// <summary>Gets Kayenta's two-sided confidence interval for the shift (may be inverted under heavy ties, as in Kayenta).</summary>
    public ConfidenceInterval ConfidenceInterval { get; init; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>Gets R's two-sided <c>wilcox.test</c> p-value (exact when R would be exact); NaN when not compared.</summary>
    public double PValue { get; init; } = double.NaN;

    /// <summary>Gets the mean of the canary values after NaN and outlier handling (NaN when empty).</summary>
    public double CanaryMean { get; init; } = double.NaN;

    /// <summary>Gets the mean of the baseline values after NaN and outlier handling (NaN when empty).</summary>
    public double BaselineMean { get; init; } = double.NaN;

    /// <summary>Gets canary mean / baseline mean, Kayenta's "deviation"; NaN when a mean is 0; 1 for identical data.</summary>
    public double MeanRatio { get; init; } = double.NaN;

    /// <summary>Gets the effect size of the configured measure (mean ratio or CLES) that gated High and Low.</summary>
    public double EffectSize { get; init; } = double.NaN;

    /// <summary>Gets the number of canary values compared.</summary>
    public int CanaryCount { get; init; }

    /// <summary>Gets the number of baseline values compared.</summary>
    public int BaselineCount { get; init; }

    /// <summary>Formats the result in one line, in the invariant culture.</summary>
    /// <returns>The name, classification, reason and main numbers.</returns>
    public override string ToString() =>
        string.Format(
            CultureInfo.InvariantCulture,
            "{0}: {1}{2} ({3}; HL = {4:G6}, CI {5}, p = {6:G4}, ratio = {7:G6}, n = {8} vs {9})",
            Name,
            Classification,
            IsCritical ? " (critical)" : string.Empty,
            Reason,
            Estimate,
            ConfidenceInterval,
            PValue,
            MeanRatio,
            CanaryCount,
            BaselineCount);
}
