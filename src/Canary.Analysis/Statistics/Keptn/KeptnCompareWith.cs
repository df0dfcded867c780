namespace Canary.Analysis.Statistics.Keptn;

/// <summary>Which previous evaluations relative criteria compare with (Keptn's <c>comparison.compare_with</c>).</summary>
public enum KeptnCompareWith
{
    /// <summary>The latest one (<c>single_result</c>).</summary>
    SingleResult,

    /// <summary>The latest <see cref="KeptnSlo.NumberOfComparisonResults"/> (<c>several_results</c>).</summary>
    SeveralResults,
}
