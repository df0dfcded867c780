using System.Text;
using Canary.Analysis.Observability;
using Canary.Analysis.Policies;
using Prometheus;

namespace Canary.Analysis.Demo;

/// <summary>
/// The demo's status metrics (<c>--metrics-out FILE</c>): the rollout followed by <see cref="RolloutStatusMetrics"/> in a
/// registry of its own, its series kept when it ends, and the exposition text written at the end of the run. Each simulated
/// minute's text can also be handed to a callback (the dashboard's integration test loads them into Prometheus).
/// </summary>
internal sealed class StatusMetricsExport : IDisposable
{
    /// <summary>The namespace label of the demo's rollout.</summary>
    public const string Namespace = "demo";

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly IDisposable _tracking;
    private readonly Action<DateTimeOffset, string>? _snapshot;

    private StatusMetricsExport(CanaryRollout rollout, Action<DateTimeOffset, string>? snapshot)
    {
        _tracking = new RolloutStatusMetrics(_registry) { RemoveWhenEnded = false }.Track(rollout, Namespace);
        _snapshot = snapshot;
    }

    /// <summary>Follows the rollout when the options ask for status metrics, else returns null.</summary>
    public static StatusMetricsExport? For(CanaryRollout rollout, LiveDemoOptions options) =>
        options.MetricsOut is null && options.MetricsSnapshot is null ? null : new StatusMetricsExport(rollout, options.MetricsSnapshot);

    /// <summary>The exposition text now.</summary>
    public async Task<string> TextAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.PrometheusText, cancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Hands the text at <paramref name="now"/> to the snapshot callback, if any.</summary>
    public async Task SnapshotAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_snapshot is not null)
        {
            _snapshot(now, await TextAsync(cancellationToken));
        }
    }

    /// <summary>Writes the text to <c>--metrics-out</c>'s file, if given, and says so.</summary>
    public async Task WriteAsync(string? path, TextWriter output, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }

        await File.WriteAllTextAsync(path, await TextAsync(cancellationToken), cancellationToken);
        await output.WriteLineAsync($"Status metrics (Prometheus exposition text, checked by `promtool check metrics`) written to {path}.");
    }

    public void Dispose() => _tracking.Dispose();
}
