using System.Globalization;
using Canary.Analysis.Metrics;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>
/// Replays snapshots recorded by <see cref="TrafficRecorder"/>: a query is answered by the snapshot recorded for the
/// same selector, window end and window length (and with latency when latency is asked for).
/// </summary>
/// <remarks>
/// <para>The file format is <c>canary-analysis/recorded-traffic/v1</c>: a JSON object with <c>"format"</c> and a
/// <c>"snapshots"</c> array; each snapshot has a <c>"query"</c> (<c>selector</c> as PromQL matchers, <c>end</c> as an
/// RFC 3339 timestamp, <c>window</c> as <c>hh:mm:ss</c> or <c>d.hh:mm:ss</c>, <c>includeLatency</c>), the
/// snapshot's own <c>end</c> and <c>window</c>, <c>warnings</c>, and <c>endpoints</c>: each with <c>endpoint</c>,
/// <c>successRule</c>, <c>counts</c> by status class (<c>other</c>, <c>1xx</c> … <c>5xx</c>) and optionally
/// <c>latency</c> with <c>buckets</c> (<c>le</c> as a string, <c>"+Inf"</c> included, cumulative <c>count</c>) and
/// <c>sum</c>. Non-finite numbers are written as the strings <c>"NaN"</c>, <c>"+Inf"</c>, <c>"-Inf"</c>.</para>
/// <para>A query without a recording fails with <see cref="MetricQueryException"/> naming what was asked and what
/// is recorded — never an empty snapshot, so a mismatch can never look like an idle canary.</para>
/// </remarks>
public sealed class RecordedTrafficSource : ITrafficSource
{
    /// <summary>The format name written in recording files.</summary>
    public const string FormatName = RecordedTrafficFile.FormatName;

    private readonly Dictionary<string, List<RecordedTrafficSnapshot>> _bySelector = new(StringComparer.Ordinal);

    /// <summary>Creates a source over recorded reads.</summary>
    /// <param name="snapshots">The recorded reads; for the same query, the first one recorded answers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="snapshots"/> or an item is null.</exception>
    public RecordedTrafficSource(IEnumerable<RecordedTrafficSnapshot> snapshots)
    {
        Snapshots = RecordingFile.Index(snapshots, nameof(snapshots), _bySelector, s => s.Query.Selector.ToString(), s => s);
    }

    /// <summary>Gets the recorded reads, in file order.</summary>
    public IReadOnlyList<RecordedTrafficSnapshot> Snapshots { get; }

    /// <summary>Loads a recording file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FormatException">The file is not a traffic recording; the message names the file, the place and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RecordedTrafficSource Load(string path) => RecordingFile.Load(path, Load);

    /// <summary>Reads a recording from a stream.</summary>
    /// <param name="stream">The UTF-8 JSON stream.</param>
    /// <param name="sourceName">A name for error messages (a path or a resource name).</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="FormatException">The content is not a traffic recording; the message names the source, the place and the problem.</exception>
    public static RecordedTrafficSource Load(Stream stream, string sourceName = "recording")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new RecordedTrafficSource(RecordedTrafficFile.Read(stream, sourceName));
    }

    /// <inheritdoc />
    /// <exception cref="MetricQueryException">Nothing was recorded for this selector, end and window (with latency when asked for).</exception>
    public Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var key = query.Selector.ToString();
        if (_bySelector.TryGetValue(key, out var list))
        {
            foreach (var recorded in list)
            {
                if (recorded.Query.End == query.End && recorded.Query.Window == query.Window && (recorded.Query.IncludeLatency || !query.IncludeLatency))
                {
                    return Task.FromResult(recorded.Snapshot);
                }
            }
        }

        throw new MetricQueryException(query.ToString(), MetricQueryErrorKind.Backend, Describe(query, list));
    }

    private string Describe(TrafficQuery query, List<RecordedTrafficSnapshot>? list)
    {
        var asked = $"no recorded snapshot for {{{query.Selector}}} over {Window(query.Window)} ending {Time(query.End)}{(query.IncludeLatency ? " with latency" : string.Empty)}";
        if (list is null)
        {
            var selectors = _bySelector.Keys.Take(5).Select(s => $"{{{s}}}");
            return _bySelector.Count == 0
                ? $"{asked}; the recording is empty"
                : $"{asked}; recorded selectors: {string.Join(", ", selectors)}{(_bySelector.Count > 5 ? $" and {_bySelector.Count - 5} more" : string.Empty)}";
        }

        var nearest = list.OrderBy(r => Math.Abs((r.Query.End - query.End).Ticks)).ThenBy(r => r.Query.Window).Take(5)
            .Select(r => $"{Window(r.Query.Window)} ending {Time(r.Query.End)}{(r.Query.IncludeLatency ? " with latency" : string.Empty)}");
        return $"{asked}; {list.Count} snapshot(s) recorded for this selector, nearest: {string.Join("; ", nearest)}";
    }

    private static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static string Window(TimeSpan window) => window.ToString("c", CultureInfo.InvariantCulture);
}
