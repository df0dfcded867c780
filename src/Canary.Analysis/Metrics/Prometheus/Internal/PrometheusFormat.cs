using System.Globalization;

namespace Canary.Analysis.Metrics.Prometheus.Internal;

/// <summary>Formats times and durations the way the Prometheus HTTP API reads them.</summary>
internal static class PrometheusFormat
{
    /// <summary>Unix seconds with millisecond precision, invariant culture (e.g. <c>1435781451.781</c>).</summary>
    public static string Time(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Seconds as a decimal number, invariant culture (e.g. <c>15</c>, <c>0.5</c>).</summary>
    public static string Step(TimeSpan step) =>
        ((decimal)step.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture);
}
