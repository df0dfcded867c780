namespace Canary.Analysis.Statistics.Keptn;

/// <summary>Which previous evaluations count (Keptn's <c>comparison.include_result_with_score</c>).</summary>
public enum KeptnIncludeResults
{
    /// <summary>Every result (<c>all</c>).</summary>
    All,

    /// <summary>Passed results only (<c>pass</c>).</summary>
    Pass,

    /// <summary>Passed or warning results (<c>pass_or_warn</c>).</summary>
    PassOrWarn,
}
