namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>A metric family's type from its <c># TYPE</c> line.</summary>
internal enum ExpositionMetricType
{
    /// <summary>No <c># TYPE</c> line, <c>untyped</c> (0.0.4) or <c>unknown</c> (OpenMetrics).</summary>
    Unknown,

    /// <summary><c>counter</c>.</summary>
    Counter,

    /// <summary><c>gauge</c>.</summary>
    Gauge,

    /// <summary><c>histogram</c>.</summary>
    Histogram,

    /// <summary><c>summary</c>.</summary>
    Summary,

    /// <summary><c>gaugehistogram</c> (OpenMetrics).</summary>
    GaugeHistogram,

    /// <summary><c>stateset</c> (OpenMetrics).</summary>
    StateSet,

    /// <summary><c>info</c> (OpenMetrics).</summary>
    Info,
}
