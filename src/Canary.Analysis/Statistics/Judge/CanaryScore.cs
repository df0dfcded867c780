using System.Globalization;

namespace Canary.Analysis.Statistics.Judge;

/// <summary>The weighted summary score of a canary judgement, its classification and the evidence behind it.</summary>
public sealed class CanaryScore
{
    /// <summary>Creates a score.</summary>
    /// <param name="score">The summary score, 0–100, rounded to 2 decimals.</param>
    /// <param name="classification">The classification of the score.</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <param name="groups">The group scores, ordered by group name.</param>
    /// <param name="metrics">Every metric result, muted ones included.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CanaryScore(double score, ScoreClassification classification, string reason, IReadOnlyList<GroupScore> groups, IReadOnlyList<MetricResult> metrics)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(metrics);
        Score = score;
        Classification = classification;
        Reason = reason;
        Groups = groups.ToArray();
        Metrics = metrics.ToArray();
    }

    /// <summary>Gets the summary score, 0–100, rounded to 2 decimals (half away from zero).</summary>
    public double Score { get; }

    /// <summary>Gets the classification of the score.</summary>
    public ScoreClassification Classification { get; }

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; }

    /// <summary>Gets the group scores, ordered by group name (ordinal).</summary>
    public IReadOnlyList<GroupScore> Groups { get; }

    /// <summary>Gets every metric result, muted ones included.</summary>
    public IReadOnlyList<MetricResult> Metrics { get; }

    /// <summary>Formats the score in one line, in the invariant culture.</summary>
    /// <returns>For example <c>Pass: 100 (…)</c>.</returns>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}: {1:0.##} ({2})", Classification, Score, Reason);
}
