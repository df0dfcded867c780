namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>
/// Locates the single-node VictoriaMetrics binary: <c>VICTORIA_METRICS_BIN</c> when set, otherwise <c>victoria-metrics</c>
/// on <c>PATH</c> (Debian's package <c>victoria-metrics</c> installs /usr/bin/victoria-metrics). The policy when it is missing
/// is <see cref="PrometheusAvailability"/>'s: skipped locally, failed under <c>CI=true</c>.
/// </summary>
public static class VictoriaMetricsAvailability
{
    private static readonly Lazy<string?> Located = new(() => PrometheusAvailability.Find("VICTORIA_METRICS_BIN", "victoria-metrics"));

    /// <summary>The binary, or null when it is missing.</summary>
    public static string? Binary => Located.Value;

    public static bool IsAvailable => Binary is not null;

    public static string MissingMessage =>
        "VictoriaMetrics is not installed: the integration tests on a second Prometheus-API engine need the 'victoria-metrics' " +
        "binary on PATH (install it with: apt-get install -y victoria-metrics), or set VICTORIA_METRICS_BIN." +
        (PrometheusAvailability.IsCi ? " CI=true: these tests fail instead of being skipped." : string.Empty);

    /// <summary>The binary, or an <see cref="InvalidOperationException"/> with <see cref="MissingMessage"/>.</summary>
    public static string Require() => Binary ?? throw new InvalidOperationException(MissingMessage);
}
