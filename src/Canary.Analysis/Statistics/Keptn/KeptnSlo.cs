namespace Canary.Analysis.Statistics.Keptn;

/// <summary>A Keptn SLO file: objectives, comparison settings and total score targets.</summary>
/// <remarks>The defaults are Keptn's for an SLO file without a <c>comparison</c> block: single result, all results, average.</remarks>
public sealed class KeptnSlo
{
    /// <summary>Gets the objectives.</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<KeptnObjective> Objectives { get; init; } = [];

    /// <summary>Gets which previous evaluations relative criteria compare with.</summary>
    /// <value>The default value is <see cref="KeptnCompareWith.SingleResult"/>.</value>
    public KeptnCompareWith CompareWith { get; init; } = KeptnCompareWith.SingleResult;

    /// <summary>Gets which previous evaluations count.</summary>
    /// <value>The default value is <see cref="KeptnIncludeResults.All"/>.</value>
    public KeptnIncludeResults IncludeResultWithScore { get; init; } = KeptnIncludeResults.All;

    /// <summary>Gets how many previous evaluations <see cref="KeptnCompareWith.SeveralResults"/> uses.</summary>
    /// <value>The default value is 3.</value>
    public int NumberOfComparisonResults { get; init; } = 3;

    /// <summary>Gets how previous values are aggregated.</summary>
    /// <value>The default value is <see cref="KeptnAggregateFunction.Avg"/>.</value>
    public KeptnAggregateFunction AggregateFunction { get; init; } = KeptnAggregateFunction.Avg;

    /// <summary>Gets the total score percentage needed to pass (Keptn's <c>total_score.pass</c>, compared with ≥).</summary>
    /// <value>The default value is 90.</value>
    public double TotalPassPercent { get; init; } = 90;

    /// <summary>Gets the total score percentage needed for a warning (Keptn's <c>total_score.warning</c>); <see langword="null"/> for none.</summary>
    /// <value>The default value is 75.</value>
    public double? TotalWarningPercent { get; init; } = 75;
}
