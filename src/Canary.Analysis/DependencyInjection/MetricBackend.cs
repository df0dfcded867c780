namespace Canary.Analysis.DependencyInjection;

/// <summary>Which metrics backend <see cref="CanaryAnalysisServiceCollectionExtensions.AddCanaryAnalysis(Microsoft.Extensions.DependencyInjection.IServiceCollection, string?, Action{CanaryAnalysisOptions}?)"/> builds its provider and traffic source for.</summary>
public enum MetricBackend
{
    /// <summary>A Prometheus-compatible HTTP API (<see cref="CanaryAnalysisOptions.Prometheus"/>, read with <see cref="CanaryAnalysisOptions.Convention"/>).</summary>
    Prometheus = 0,

    /// <summary>The Datadog metrics API (<see cref="CanaryAnalysisOptions.Datadog"/>, read with <see cref="CanaryAnalysisOptions.DatadogConvention"/>).</summary>
    Datadog = 1,
}
