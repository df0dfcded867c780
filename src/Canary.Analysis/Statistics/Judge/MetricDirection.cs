namespace Canary.Analysis.Statistics.Judge;

/// <summary>Which deviations of the canary from the baseline count against it (Kayenta's <c>direction</c>).</summary>
public enum MetricDirection
{
    /// <summary>Both higher and lower values fail (Kayenta's default, <c>either</c>).</summary>
    Either,

    /// <summary>Only higher canary values fail (<c>increase</c>).</summary>
    Increase,

    /// <summary>Only lower canary values fail (<c>decrease</c>).</summary>
    Decrease,
}
