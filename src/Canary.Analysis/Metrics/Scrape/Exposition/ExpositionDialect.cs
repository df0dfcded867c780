namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>The two text expositions Prometheus scrapes.</summary>
internal enum ExpositionDialect
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4</c>).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 (<c>application/openmetrics-text; version=1.0.0</c>).</summary>
    OpenMetrics,
}
