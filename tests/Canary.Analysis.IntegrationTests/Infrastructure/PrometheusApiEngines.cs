namespace Canary.Analysis.IntegrationTests.Infrastructure;

/// <summary>Availability and start-up of each <see cref="PrometheusApiEngine"/>, holding the same OpenMetrics data.</summary>
public static class PrometheusApiEngines
{
    public static bool IsAvailable(PrometheusApiEngine engine) => engine switch
    {
        PrometheusApiEngine.Prometheus => PrometheusAvailability.IsAvailable,
        PrometheusApiEngine.VictoriaMetrics => VictoriaMetricsAvailability.IsAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    public static string MissingMessage(PrometheusApiEngine engine) => engine switch
    {
        PrometheusApiEngine.Prometheus => PrometheusAvailability.MissingMessage,
        PrometheusApiEngine.VictoriaMetrics => VictoriaMetricsAvailability.MissingMessage,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    /// <summary>
    /// Starts <paramref name="engine"/> holding what <paramref name="writeOpenMetrics"/> writes, ready when
    /// <paramref name="readinessQuery"/> returns data at <paramref name="readinessTime"/>.
    /// </summary>
    public static async Task<(IAsyncDisposable Server, Uri Address)> StartAsync(
        PrometheusApiEngine engine, Action<TextWriter> writeOpenMetrics, DateTimeOffset readinessTime, string? readinessQuery = null)
    {
        switch (engine)
        {
            case PrometheusApiEngine.Prometheus:
                var prometheus = await PrometheusServer.StartAsync(writeOpenMetrics, new PrometheusServerOptions { ReadinessTime = readinessTime, ReadinessQuery = readinessQuery });
                return (prometheus, prometheus.Address);
            case PrometheusApiEngine.VictoriaMetrics:
                var victoria = await VictoriaMetricsServer.StartAsync(writeOpenMetrics, new VictoriaMetricsServerOptions { ReadinessTime = readinessTime, ReadinessQuery = readinessQuery });
                return (victoria, victoria.Address);
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, null);
        }
    }
}
