using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>The weighted summary score of a canary judgement, its classification and the evidence behind it.</summary>
/// <param name="score">The summary score, 0–100, rounded to 2 decimals.</param>
/// <param name="classification">The classification of the score.</param>
/// <param name="reason">A one-line human reason.</param>
/// <param name="groups">The group scores, ordered by group name.</param>
/// <param name="metrics">Every metric result, muted ones included.</param>
/// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
public sealed class CanaryScore(double score, ScoreClassification classification, string reason, IReadOnlyList<GroupScore> groups, IReadOnlyList<MetricResult> metrics)
{
    /// <summary>Gets the summary score, 0–100, rounded to 2 decimals (half away from zero).</summary>
    public double Score { get; } = score;

    /// <summary>Gets the classification of the score.</summary>
    public ScoreClassification Classification { get; } = classification;

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; } = reason ?? throw new ArgumentNullException(nameof(reason));

    /// <summary>Gets the group scores, ordered by group name (ordinal).</summary>
    public IReadOnlyList<GroupScore> Groups { get; } = (groups ?? throw new ArgumentNullException(nameof(groups))).ToArray();

    /// <summary>Gets every metric result, muted ones included.</summary>
    public IReadOnlyList<MetricResult> Metrics { get; } = (metrics ?? throw new ArgumentNullException(nameof(metrics))).ToArray();

    /// <summary>Formats the score in one line, in the invariant culture.</summary>
    /// <returns>For example <c>Pass: 100 (…)</c>.</returns>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}: {1:0.##} ({2})", Classification, Score, Reason);
}
