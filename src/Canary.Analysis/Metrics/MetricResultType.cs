namespace Canary.Analysis.Metrics;

/// <summary>The shape of a query result, as Prometheus names it.</summary>
public enum MetricResultType
{
    /// <summary>A single number with a timestamp.</summary>
    Scalar,

    /// <summary>An instant vector: zero or more series with one sample each.</summary>
    Vector,

    /// <summary>A range vector: zero or more series with many samples each.</summary>
    Matrix,

    /// <summary>A string with a timestamp.</summary>
    String,
}
