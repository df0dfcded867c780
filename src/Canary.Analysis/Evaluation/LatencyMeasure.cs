namespace Canary.Analysis.Evaluation;

/// <summary>Which latency figure of an endpoint is judged.</summary>
public enum LatencyMeasure
{
    /// <summary>A quantile of the histogram (<see cref="LatencyCriteria.Quantile"/>), as <c>histogram_quantile</c> computes it.</summary>
    Quantile,

    /// <summary>The mean, <c>_sum / _count</c>.</summary>
    Mean,
}
