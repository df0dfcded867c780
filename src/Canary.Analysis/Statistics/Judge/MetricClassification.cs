namespace Canary.Analysis.Statistics.Judge;

/// <summary>The classification of one metric by <see cref="MetricClassifier"/>, with Kayenta's labels plus <see cref="Inconclusive"/>.</summary>
public enum MetricClassification
{
    /// <summary>The canary is not significantly higher or lower than the baseline (Kayenta <c>Pass</c>).</summary>
    Pass,

    /// <summary>The canary is significantly higher than the baseline (Kayenta <c>High</c>).</summary>
    High,

    /// <summary>The canary is significantly lower than the baseline (Kayenta <c>Low</c>).</summary>
    Low,

    /// <summary>A side has no data; excluded from group scores, but 50 % or more of them zero the score (Kayenta <c>Nodata</c>).</summary>
    NoData,

    /// <summary>A side has no data and the metric must have data: counts as a failure in its groups (Kayenta <c>NodataFailMetric</c>).</summary>
    NoDataFail,

    /// <summary>The comparison failed (Kayenta <c>Error</c>); excluded from group scores.</summary>
    Error,

    /// <summary>Not in Kayenta: a side has data, but fewer values than <see cref="JudgeOptions.MinimumSampleSize"/>. Excluded from group scores, and a score with any inconclusive metric is never a pass.</summary>
    Inconclusive,
}
