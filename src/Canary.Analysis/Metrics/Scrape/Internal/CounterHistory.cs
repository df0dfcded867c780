using System.Globalization;
using Canary.Analysis.Metrics.Scrape.Exposition;
using Canary.Analysis.Traffic;
using Canary.Analysis.Metrics.Internal;

namespace Canary.Analysis.Metrics.Scrape.Internal;

/// <summary>
/// Per-target history of counter values and the <c>increase()</c>-like deltas over a window, shared by every source
/// that reads expositions itself (direct scrapes, an in-process prometheus-net registry). Thread-safe.
/// </summary>
/// <remarks>
/// <para>Over a window (start, end], the successful scrapes of each target are taken in time order from the last one at or
/// before the start (the boundary, looked for up to 5 minutes back as Prometheus' lookback delta does; without one the
/// first scrape in the window is the boundary) to the last one at or before the end, so consecutive windows tile: every
/// increment counts once, in the window its scrape falls in. Every consecutive pair adds, per series: <c>v₂ − v₁</c> when <c>v₂ ≥ v₁</c>; <c>v₂</c> when the value dropped (a
/// counter reset: the process restarted and counted from 0 again; followed as Prometheus does, with a warning, since what
/// was counted between the last scrape and the restart is lost for every status alike; a reset across failed scrapes, a
/// restart while unreachable, cannot be followed and is a <see cref="DataGapKind.MissingData"/> gap); <c>v₂</c> when the series is
/// absent from the earlier scrape (it appeared while the target was being scraped, so it counted from 0). A series
/// already present in the boundary scrape counts from that sample. Failed scrapes between two successful ones
/// are spanned (counters are cumulative, so nothing is lost) with a warning. Unlike Prometheus' <c>increase()</c>,
/// nothing is extrapolated to the window's edges.</para>
/// <para>Incomplete data is a <see cref="DataGap"/>, never a smaller count: a target with no successful scrape in the
/// window, or whose last scrapes in the window failed (it stopped answering partway, so its later traffic is unknown),
/// is <see cref="DataGapKind.TargetUnreachable"/>; a target with a single successful scrape (no increase can be known)
/// and a series whose value is not a valid count (NaN, ±Inf, negative, or beyond 2^53 where increments of 1 are lost to
/// rounding) are <see cref="DataGapKind.MissingData"/>, and such a series' deltas are NaN, so its endpoint has no usable
/// data.</para>
/// </remarks>
internal sealed class CounterHistory
{
    /// <summary>2^53: above it a double no longer holds every integer, so a counter's increments can vanish.</summary>
    internal const double MaxExactCount = 9_007_199_254_740_992.0;

    /// <summary>How far before a window's start its boundary scrape may lie: Prometheus' default lookback delta.</summary>
    internal static readonly TimeSpan BoundaryLookback = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Dictionary<string, List<ScrapeRecord>> _records = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Display)> _targets;
    private readonly TrafficConvention _convention;
    private readonly TimeSpan _retention;
    private readonly string? _bucketName;
    private readonly string? _sumName;

    /// <summary>Creates a history.</summary>
    /// <param name="targets">Each target's key (as passed to <see cref="RecordSuccess"/>) and the secret-free name used in messages.</param>
    /// <param name="convention">The convention.</param>
    /// <param name="retention">How long records are kept.</param>
    public CounterHistory(IEnumerable<(string Key, string Display)> targets, TrafficConvention convention, TimeSpan retention)
    {
        _targets = [.. targets];
        foreach (var (key, _) in _targets)
        {
            _records[key] = [];
        }

        _convention = convention;
        _retention = retention;
        if (convention.LatencyHistogramMetric is { } histogram)
        {
            _bucketName = histogram + "_bucket";
            _sumName = histogram + "_sum";
        }
    }

    /// <summary>Records a successful scrape, keeping only the series the convention reads.</summary>
    public void RecordSuccess(string target, DateTimeOffset time, ExpositionDocument document, IReadOnlyDictionary<string, string>? targetLabels)
    {
        var values = new Dictionary<SeriesKey, double>();
        foreach (var sample in document.Samples)
        {
            if (!IsRelevant(sample.Name))
            {
                continue;
            }

            IEnumerable<KeyValuePair<string, string>> labels = sample.Labels;
            if (targetLabels is { Count: > 0 })
            {
                labels = sample.Labels.Where(pair => !targetLabels.ContainsKey(pair.Key)).Concat(targetLabels);
            }

            values[new SeriesKey(sample.Name, labels)] = sample.Value;
        }

        Add(target, new ScrapeRecord(time, values, null));
    }

    /// <summary>Records a failed scrape.</summary>
    public void RecordFailure(string target, DateTimeOffset time, string error) => Add(target, new ScrapeRecord(time, null, error));

    /// <summary>Computes the snapshot of a window from the recorded scrapes.</summary>
    /// <exception cref="InvalidOperationException">Latency was asked for but the convention has no latency histogram.</exception>
    public TrafficSnapshot Read(TrafficQuery query)
    {
        if (query.IncludeLatency && _bucketName is null)
        {
            throw new InvalidOperationException($"Traffic convention '{_convention.Name}' has no latency histogram (LatencyHistogramMetric is null).");
        }

        var warnings = new List<string>();
        var gaps = new List<DataGap>();
        var deltas = new Dictionary<SeriesKey, double>();
        var withData = 0;
        lock (_gate)
        {
            foreach (var (key, display) in _targets)
            {
                if (AddTargetDeltas(display, _records[key], query, deltas, warnings, gaps))
                {
                    withData++;
                }
            }
        }

        if (withData == 0)
        {
            warnings.Add(_targets.Count == 1
                ? "The target has no data in the window (fewer than two successful scrapes); the traffic is unknown."
                : $"None of the {_targets.Count} targets has data in the window (fewer than two successful scrapes each); the traffic is unknown.");
            return new TrafficSnapshot(query.End, query.Window, [], warnings) { Gaps = gaps };
        }

        return Build(query, deltas, warnings, gaps);
    }

    /// <summary>Whether a counter, bucket or sum value can be evidence: finite, not negative, and exact as an integer count.</summary>
    internal static bool IsValidCount(double value) => value is >= 0 and <= MaxExactCount;

    private static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private bool IsRelevant(string name) =>
        string.Equals(name, _convention.RequestCountMetric, StringComparison.Ordinal) ||
        string.Equals(name, _bucketName, StringComparison.Ordinal) ||
        string.Equals(name, _sumName, StringComparison.Ordinal);

    /// <summary>The time of the target's latest record (a success or a failure), or null when it has none.</summary>
    public DateTimeOffset? LatestTime(string target)
    {
        lock (_gate)
        {
            var list = _records[target];
            return list.Count == 0 ? null : list[^1].Time;
        }
    }

    private void Add(string target, ScrapeRecord record)
    {
        lock (_gate)
        {
            var list = _records[target];
            var index = list.Count;
            while (index > 0 && list[index - 1].Time > record.Time)
            {
                index--;
            }

            list.Insert(index, record);
            var horizon = record.Time - _retention;
            var stale = 0;
            while (stale < list.Count && list[stale].Time < horizon)
            {
                stale++;
            }

            list.RemoveRange(0, stale);
        }
    }

    private static bool AddTargetDeltas(string target, List<ScrapeRecord> records, TrafficQuery query, Dictionary<SeriesKey, double> deltas, List<string> warnings, List<DataGap> gaps)
    {
        var start = query.Start;
        ScrapeRecord? previous = null;
        DateTimeOffset? successBeforeWindow = null;
        int successes = 0, failures = 0, failuresAfterLastSuccess = 0, resets = 0, invalid = 0;
        var hasBoundary = false;
        string? lastError = null, invalidExample = null, unfollowedReset = null;
        var targetDeltas = new Dictionary<SeriesKey, double>();
        foreach (var record in records)
        {
            if (record.Time <= start)
            {
                // The window is (start, end]: its increase runs from the last successful scrape at or before the start (within
                // the lookback), so consecutive windows tile and no increment between two looks is lost or counted twice.
                if (record.Values is not null)
                {
                    successBeforeWindow = record.Time;
                    previous = record.Time >= start - BoundaryLookback ? record : null;
                    (failures, failuresAfterLastSuccess) = (0, 0);
                }
                else if (previous is not null || record.Time == start)
                {
                    // A failure after the boundary (or at the start itself) belongs to the span the window reads.
                    failures++;
                    failuresAfterLastSuccess++;
                    lastError = record.Error;
                }

                continue;
            }

            if (record.Time > query.End)
            {
                continue;
            }

            hasBoundary |= successes == 0 && previous is not null;
            if (record.Values is null)
            {
                failures++;
                failuresAfterLastSuccess++;
                lastError = record.Error;
                continue;
            }

            successes++;
            var failedBetween = failuresAfterLastSuccess;
            failuresAfterLastSuccess = 0;
            var resetsBefore = resets;
            if (previous?.Values is { } before)
            {
                foreach (var (key, value) in record.Values)
                {
                    if (!key.Matches(query.Selector))
                    {
                        continue;
                    }

                    var hasEarlier = before.TryGetValue(key, out var earlier);
                    double delta;
                    if (!IsValidCount(value) || (hasEarlier && !IsValidCount(earlier)))
                    {
                        invalid++;
                        invalidExample ??= $"{key.Name} = {Format(IsValidCount(value) ? earlier : value)}";
                        delta = double.NaN;
                    }
                    else if (!hasEarlier)
                    {
                        delta = value;
                    }
                    else if (value >= earlier)
                    {
                        delta = value - earlier;
                    }
                    else
                    {
                        resets++;
                        delta = value;
                    }

                    targetDeltas[key] = targetDeltas.GetValueOrDefault(key) + delta;
                }

                if (resets > resetsBefore && failedBetween > 0)
                {
                    // The process restarted while its scrapes failed: what it counted after the last successful scrape
                    // and before the restart is gone, and it served nothing (its clients saw errors it never counted)
                    // while down. That cannot be followed.
                    unfollowedReset ??= $"between {Format(previous.Time)} and {Format(record.Time)}";
                }
            }

            previous = record;
        }

        if (failures > 0)
        {
            warnings.Add($"Target {target}: {failures} of {failures + successes + (hasBoundary ? 1 : 0)} scrapes in the window failed; last error: {lastError}");
        }

        if (resets > 0)
        {
            warnings.Add($"Target {target}: {resets} counter reset(s) in the window (a value dropped: the process restarted); counted from 0, as Prometheus does.");
        }

        if (successes == 0 || failuresAfterLastSuccess > 0)
        {
            var since = successes > 0 ? previous!.Time : successBeforeWindow;
            var sinceText = since is { } time ? $"since {Format(time)}" : $"since the window started at {Format(start)}";
            var failed = failuresAfterLastSuccess > 0 ? $" ({failuresAfterLastSuccess} failed after it; last error: {lastError})" : string.Empty;
            var description = successes == 0
                ? $"{target}: no successful scrape {sinceText}{failed}; its traffic in the window is unknown."
                : $"{target}: no successful scrape {sinceText}{failed}; its traffic after that is unknown.";
            gaps.Add(new DataGap(DataGapKind.TargetUnreachable, description));
            warnings.Add($"Target {description}");
            if (successes + (hasBoundary ? 1 : 0) < 2)
            {
                return false;
            }
        }
        else if (successes + (hasBoundary ? 1 : 0) < 2)
        {
            var description = $"{target}: only one successful scrape between {Format(start)} and {Format(query.End)} (two are needed for an increase); its traffic is unknown.";
            gaps.Add(new DataGap(DataGapKind.MissingData, description));
            warnings.Add($"Target {description}");
            return false;
        }

        if (unfollowedReset is not null)
        {
            var description = $"{target}: restarted while its scrapes failed ({unfollowedReset}: counters reset after failed scrapes); its traffic before the restart is unknown.";
            gaps.Add(new DataGap(DataGapKind.MissingData, description));
            warnings.Add($"Target {description}");
        }

        if (invalid > 0)
        {
            var description = $"{target}: {invalid} value(s) in the window are not valid counts (NaN, ±Inf, negative or beyond 2^53), e.g. {invalidExample}; those series have no usable data.";
            gaps.Add(new DataGap(DataGapKind.MissingData, description));
            warnings.Add($"Target {description}");
        }

        foreach (var (key, delta) in targetDeltas)
        {
            deltas[key] = deltas.GetValueOrDefault(key) + delta;
        }

        return true;
    }

    private TrafficSnapshot Build(TrafficQuery query, Dictionary<SeriesKey, double> deltas, List<string> warnings, List<DataGap> gaps)
    {
        var counts = new Dictionary<string, Dictionary<StatusClass, double>>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, Dictionary<double, double>>(StringComparer.Ordinal);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        var scale = _convention.LatencyUnit == LatencyUnit.Milliseconds ? 0.001 : 1.0;
        foreach (var (key, rawDelta) in deltas.OrderBy(pair => pair.Key.Name, StringComparer.Ordinal))
        {
            var endpoint = _convention.EndpointLabel is { } label ? key.GetLabel(label) : PrometheusTrafficSource.WholeServiceEndpoint;
            var delta = rawDelta;
            // The convention's fixed matchers apply per use, as in the PromQL the Prometheus source writes: Traefik's
            // request counter is the le="+Inf" bucket of the same histogram its latency reads.
            var isRequest = string.Equals(key.Name, _convention.RequestCountMetric, StringComparison.Ordinal) && key.Matches(_convention.RequestSelector);
            var isLatency = query.IncludeLatency && key.Matches(_convention.LatencySelector);
            if (isRequest)
            {
                var status = key.GetLabel(_convention.StatusLabel);
                if (!double.IsFinite(delta) || delta < 0)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}', status '{status}': value {delta} is not a valid request count; the endpoint has no usable data."));
                    delta = double.NaN;
                }

                if (!counts.TryGetValue(endpoint, out var byClass))
                {
                    byClass = [];
                    counts.Add(endpoint, byClass);
                }

                var statusClass = _convention.ClassifyStatus(status);
                byClass[statusClass] = byClass.GetValueOrDefault(statusClass) + delta;
            }

            if (isLatency && string.Equals(key.Name, _bucketName, StringComparison.Ordinal))
            {
                if (HistogramBuckets.Bound(endpoint, key.GetLabel("le"), delta, warnings, broken) is not { } bound)
                {
                    continue;
                }

                if (!buckets.TryGetValue(endpoint, out var byBound))
                {
                    byBound = [];
                    buckets.Add(endpoint, byBound);
                }

                var scaled = bound * scale;
                byBound[scaled] = byBound.GetValueOrDefault(scaled) + delta;
            }
            else if (isLatency && string.Equals(key.Name, _sumName, StringComparison.Ordinal))
            {
                sums[endpoint] = sums.GetValueOrDefault(endpoint) + (delta * scale);
            }
        }

        Dictionary<string, LatencyHistogram>? latencies = null;
        if (query.IncludeLatency)
        {
            latencies = new Dictionary<string, LatencyHistogram>(StringComparer.Ordinal);
            foreach (var (endpoint, byBound) in buckets)
            {
                if (!broken.Contains(endpoint))
                {
                    latencies.Add(endpoint, new LatencyHistogram(byBound.Select(pair => (pair.Key, pair.Value)), sums.GetValueOrDefault(endpoint, double.NaN)));
                    counts.TryAdd(endpoint, []);
                }
            }
        }

        var endpoints = counts.Select(pair => new EndpointTraffic(pair.Key, pair.Value, _convention.SuccessRule, latencies?.GetValueOrDefault(pair.Key)));
        return new TrafficSnapshot(query.End, query.Window, endpoints, warnings) { Gaps = gaps };
    }
}
