namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>A real server with the Prometheus HTTP API that the provider's integration tests run against.</summary>
public enum PrometheusApiEngine
{
    /// <summary>Prometheus itself (Debian's <c>prometheus</c>), data backfilled with promtool.</summary>
    Prometheus,

    /// <summary>Single-node VictoriaMetrics (Debian's <c>victoria-metrics</c>, MetricsQL), data imported through its API.</summary>
    VictoriaMetrics,
}
