using Canary.Analysis.Metrics.Scrape.Exposition;
using Prometheus;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Scrape.Internal;

namespace Canary.Analysis.Metrics.Scrape;

/// <summary>
/// Reads traffic from a prometheus-net <see cref="CollectorRegistry"/> in the same process (an app analysing itself, a
/// sidecar, tests): each <see cref="CollectAsync"/> exports the registry as text and records it; <see cref="ReadAsync"/>
/// computes per-endpoint increases over the window exactly as <see cref="ScrapeTrafficSource"/> does (same parser, same
/// history and delta rules: resets, series appearing mid-window counted from 0, no extrapolation).
/// </summary>
/// <remarks>
/// Call <see cref="CollectAsync"/> at the start of a window (and, for a history, every interval). When a query's window
/// ends at or after the current time, <see cref="ReadAsync"/> first collects once more, so the window ends with fresh
/// values; so it does when the window ended at most <see cref="ReadFreshness"/> ago (a real clock has moved on by the time a
/// check's read runs) and nothing was collected since: that collection is recorded at the window's end, so the requests
/// of that moment count in this window, and the next window starts from it (each request is counted once). A registry that fails to export is recorded as a failed collection: when no export succeeded after it in the
/// window (the collection <see cref="ReadAsync"/> makes included), the snapshot has a
/// <see cref="DataGapKind.TargetUnreachable"/> gap for the registry, so checks say Inconclusive. Thread-safe.
/// </remarks>
public sealed class PrometheusNetRegistryTrafficSource : ITrafficSource
{
    private const string Target = "registry";

    /// <summary>How long after a window's end a read still collects for that window (see the remarks).</summary>
    internal static readonly TimeSpan ReadFreshness = TimeSpan.FromSeconds(1);

    private readonly Func<Stream, CancellationToken, Task> _export;
    private readonly TimeProvider _timeProvider;
    private readonly CounterHistory _history;

    /// <summary>Creates a source over a registry.</summary>
    /// <param name="registry">The registry, e.g. <c>Metrics.DefaultRegistry</c> or one from <c>Metrics.NewCustomRegistry()</c>.</param>
    /// <param name="convention">How the app names its request metrics (usually <see cref="TrafficConvention.PrometheusNet"/>).</param>
    /// <param name="retention">How long collections are kept; null for 2 hours.</param>
    /// <param name="timeProvider">The clock that timestamps collections; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="convention"/> is null.</exception>
    /// <exception cref="ArgumentException">The convention is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retention"/> is not positive.</exception>
    public PrometheusNetRegistryTrafficSource(CollectorRegistry registry, TrafficConvention convention, TimeSpan? retention = null, TimeProvider? timeProvider = null)
        : this(ExportOf(registry), convention, retention, timeProvider)
    {
    }

    /// <summary>Creates a source over any text exporter (tests use it for exports that fail: prometheus-net swallows collect-callback errors).</summary>
    internal PrometheusNetRegistryTrafficSource(Func<Stream, CancellationToken, Task> export, TrafficConvention convention, TimeSpan? retention, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(convention);
        convention.Validate();
        var keep = retention ?? TimeSpan.FromHours(2);
        if (keep <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "The retention must be positive.");
        }

        _export = export;
        Convention = convention;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _history = new CounterHistory([(Target, Target)], convention, keep);
    }

    /// <summary>Gets the convention the source reads with.</summary>
    public TrafficConvention Convention { get; }

    /// <summary>Exports the registry once and records the values, timestamped now.</summary>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>A task that completes when the values are recorded.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task CollectAsync(CancellationToken cancellationToken = default) => CollectAtAsync(_timeProvider.GetUtcNow(), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Collects once more first when the window ends at or after the current time, or ended at most
    /// <see cref="ReadFreshness"/> ago with nothing collected since.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Latency was asked for but the convention has no latency histogram.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _timeProvider.GetUtcNow();
        if (query.End >= now)
        {
            await CollectAtAsync(now, cancellationToken).ConfigureAwait(false);
        }
        else if (now - query.End <= ReadFreshness && !(_history.LatestTime(Target) >= query.End))
        {
            // Recorded at the window's end: a later time would leave this moment's requests to the next window only.
            await CollectAtAsync(query.End, cancellationToken).ConfigureAwait(false);
        }

        return _history.Read(query);
    }

    private async Task CollectAtAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        try
        {
            await _export(stream, cancellationToken).ConfigureAwait(false);
            var document = ExpositionParser.Parse(stream.GetBuffer().AsSpan(0, (int)stream.Length), ExpositionDialect.PrometheusText, cancellationToken: cancellationToken);
            _history.RecordSuccess(Target, time, document, targetLabels: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The registry runs user callbacks (before-collect hooks); whatever they throw is a failed collection.
            _history.RecordFailure(Target, time, $"exporting the registry failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static Func<Stream, CancellationToken, Task> ExportOf(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return (stream, cancellationToken) => registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.PrometheusText, cancellationToken);
    }
}
