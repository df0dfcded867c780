namespace Canary.Analysis.Metrics.Datadog;

/// <summary>How a v2 scalar query reduces each series over the time range to one number (Datadog's <c>aggregator</c>).</summary>
public enum DatadogAggregator
{
    /// <summary>The average of the points (<c>avg</c>, Datadog's default).</summary>
    Avg,

    /// <summary>The sum of the points (<c>sum</c>): the total of a count (<c>.as_count()</c>) over the range.</summary>
    Sum,

    /// <summary>The smallest point (<c>min</c>).</summary>
    Min,

    /// <summary>The largest point (<c>max</c>).</summary>
    Max,

    /// <summary>The last point (<c>last</c>).</summary>
    Last,

    /// <summary>The mean of the points (<c>mean</c>).</summary>
    Mean,

    /// <summary>The area under the series (<c>area</c>).</summary>
    Area,

    /// <summary>The Euclidean norm of the points (<c>l2norm</c>).</summary>
    L2Norm,
}
