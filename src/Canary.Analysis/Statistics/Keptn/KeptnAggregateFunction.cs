namespace Canary.Analysis.Statistics.Keptn;

/// <summary>How previous values are aggregated (Keptn's <c>comparison.aggregate_function</c>).</summary>
public enum KeptnAggregateFunction
{
    /// <summary>The mean (<c>avg</c>).</summary>
    Avg,

    /// <summary>The 50th percentile, Keptn's p·(n+1) linear interpolation (<c>p50</c>).</summary>
    P50,

    /// <summary>The 90th percentile (<c>p90</c>).</summary>
    P90,

    /// <summary>The 95th percentile (<c>p95</c>).</summary>
    P95,
}
