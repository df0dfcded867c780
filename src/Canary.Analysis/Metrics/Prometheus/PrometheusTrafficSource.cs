using System.Globalization;
using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic.Internal;
using Canary.Analysis.Metrics.Internal;
using Canary.Analysis.Metrics.Prometheus.Internal;

// The file lives with the rest of the Prometheus backend (Metrics/Prometheus/), but the type keeps the namespace that
// DESIGN's API anchors give it (Canary.Analysis.Traffic.PrometheusTrafficSource): the one exception to namespaces matching folders.
#pragma warning disable IDE0130
namespace Canary.Analysis.Traffic;
#pragma warning restore IDE0130

/// <summary>
/// Reads per-endpoint traffic from a Prometheus-compatible provider with <b>one</b> grouped query,
/// whatever the number of endpoints:
/// <c>sum by (&lt;endpoint&gt;, &lt;status&gt;) (increase(&lt;metric&gt;{&lt;fixed matchers&gt;,&lt;selector&gt;}[&lt;window&gt;]))</c>,
/// where the fixed matchers are the convention's <see cref="TrafficConvention.RequestSelector"/>.
/// </summary>
/// <remarks>
/// The per-endpoint arithmetic (weights, rates) happens in C#, not in PromQL. Series whose value is NaN, infinite,
/// negative or 2^53 or more (not an exactly representable count), and series without a float sample (native histograms),
/// make the endpoint's count NaN with a warning, so it is reported as having no usable data rather than looking healthy.
/// Warnings of the server (a Thanos or Mimir partial response, or a VictoriaMetrics cluster's <c>"isPartial": true</c>, for
/// example) are kept in <see cref="TrafficSnapshot.Warnings"/>
/// and each also becomes a <see cref="DataGapKind.PartialResponse"/> gap in <see cref="TrafficSnapshot.Gaps"/>; Prometheus'
/// <c>infos</c> are warnings only.
/// </remarks>
public sealed class PrometheusTrafficSource : ITrafficSource
{
    /// <summary>The endpoint name used when the convention has no endpoint label (the whole service).</summary>
    public const string WholeServiceEndpoint = "*";

    private readonly IMetricProvider _provider;

    /// <summary>Creates a source.</summary>
    /// <param name="provider">The metric provider (for example <c>PrometheusMetricProvider</c>).</param>
    /// <param name="convention">How the stack names its metrics and labels.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The convention has invalid names.</exception>
    public PrometheusTrafficSource(IMetricProvider provider, TrafficConvention convention)
    {
        _provider = Guard.NotNull(provider);
        Convention = Guard.Validated(convention);
    }

    /// <summary>Gets the convention the source reads with.</summary>
    public TrafficConvention Convention { get; }

    /// <summary>
    /// How far before a <see cref="TrafficCounting.CounterDifference"/> window's start the source looks for each series' last
    /// sample: 5 minutes, Prometheus' default lookback delta, so a series has a value at the start exactly when an instant
    /// query at the start would return one.
    /// </summary>
    public static TimeSpan CounterLookback { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Renders the PromQL query the source sends for <paramref name="query"/>'s request counts: the grouped
    /// <c>sum by (&lt;endpoint&gt;, &lt;status&gt;) (increase(…[w]))</c>, or for <see cref="TrafficCounting.CounterDifference"/>
    /// the range selector <c>&lt;metric&gt;{…}[w + 5m]</c> whose raw samples the source differences per series.
    /// </summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    public string BuildRequestQuery(TrafficQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Counting == TrafficCounting.CounterDifference)
        {
            return BuildRangeSelector(query, Convention.RequestCountMetric, Convention.RequestSelector);
        }

        return BuildGroupedQuery(query, "sum", Convention.RequestCountMetric, Convention.RequestSelector, Convention.StatusLabel, increase: true);
    }

    // <metric>{<fixed>,<selector>}[<window> + 5m]: every series' raw samples, for exact counter differences.
    private static string BuildRangeSelector(TrafficQuery query, string metric, LabelSelector fixedSelector)
    {
        var builder = new StringBuilder(128);
        builder.Append(metric).Append('{');
        fixedSelector.And(query.Selector).AppendTo(builder);
        builder.Append("}[").Append(PromQl.Duration(CounterRange(query))).Append(']');
        return builder.ToString();
    }

    private string BuildLatencyQuery(TrafficQuery query, string metric, string? extraGroupLabel)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Counting == TrafficCounting.CounterDifference
            ? BuildRangeSelector(query, metric, Convention.LatencySelector)
            : BuildIncreaseQuery(query, metric, extraGroupLabel);
    }

    /// <summary>
    /// Renders the grouped query for the latency buckets: <c>sum by (&lt;endpoint&gt;, le) (increase(&lt;histogram&gt;_bucket{…}[w]))</c>,
    /// or for <see cref="TrafficCounting.CounterDifference"/> the range selector <c>&lt;histogram&gt;_bucket{…}[w + 5m]</c> whose raw
    /// samples the source differences per series, as for the request counts.
    /// </summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The convention has no latency histogram.</exception>
    public string BuildLatencyBucketQuery(TrafficQuery query) => BuildLatencyQuery(query, HistogramName() + "_bucket", "le");

    /// <summary>
    /// Renders the grouped query for the latency sums: <c>sum by (&lt;endpoint&gt;) (increase(&lt;histogram&gt;_sum{…}[w]))</c>, or for
    /// <see cref="TrafficCounting.CounterDifference"/> the range selector <c>&lt;histogram&gt;_sum{…}[w + 5m]</c>.
    /// </summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The convention has no latency histogram.</exception>
    public string BuildLatencySumQuery(TrafficQuery query) => BuildLatencyQuery(query, HistogramName() + "_sum", null);

    /// <summary>
    /// Renders the query for a latency summary's pre-computed quantiles: <c>max by (&lt;endpoint&gt;, quantile) (&lt;summary&gt;{…})</c>.
    /// Across pods the slowest pod's quantile is taken (pre-computed quantiles cannot be merged), a conservative choice.
    /// </summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The convention has no latency summary.</exception>
    public string BuildLatencySummaryQuantileQuery(TrafficQuery query) =>
        BuildGroupedQuery(query, "max", SummaryName(), Convention.LatencySelector, "quantile", increase: false);

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="TrafficCounting.CounterDifference"/> the request counts come from one range-selector query,
    /// <c>&lt;metric&gt;{…}[window + 5m]</c> evaluated at the window's end: Prometheus returns every series' raw samples
    /// (one query still, whatever the number of endpoints, but its answer grows with series × samples: at 15 s scrapes a
    /// one-minute window holds 24 samples per series, so 10 000 series are ~6 MB of JSON, within
    /// <c>PrometheusOptions.MaxResponseBytes</c>; a response over the cap is an error, never a smaller count). Per series the
    /// source takes the exact increase from its last sample at or before the start to its last sample (resets followed, new
    /// series from 0), then sums by endpoint and status class in C#; with latency, the histogram's buckets and sums the same
    /// way (two more range-selector queries, summed by endpoint and <c>le</c>). Latency summaries are still read with <c>increase()</c>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Latency was asked for but the convention has neither a latency histogram nor a summary.</exception>
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var requestQuery = BuildRequestQuery(query);
        var requestsTask = _provider.QueryAsync(requestQuery, query.End, cancellationToken);
        Task<MetricQueryResult>? bucketsTask = null, sumsTask = null, quantilesTask = null, summaryCountsTask = null;
        if (query.IncludeLatency && Convention.LatencyHistogramMetric is null && Convention.LatencySummaryMetric is { } summary)
        {
            quantilesTask = _provider.QueryAsync(BuildLatencySummaryQuantileQuery(query), query.End, cancellationToken);
            sumsTask = _provider.QueryAsync(BuildIncreaseQuery(query, summary + "_sum", null), query.End, cancellationToken);
            summaryCountsTask = _provider.QueryAsync(BuildIncreaseQuery(query, summary + "_count", null), query.End, cancellationToken);
        }
        else if (query.IncludeLatency)
        {
            bucketsTask = _provider.QueryAsync(BuildLatencyBucketQuery(query), query.End, cancellationToken);
            sumsTask = _provider.QueryAsync(BuildLatencySumQuery(query), query.End, cancellationToken);
        }

        var exact = query.Counting == TrafficCounting.CounterDifference;
        var requests = exact ? RequireMatrix(await requestsTask.ConfigureAwait(false)) : RequireVector(await requestsTask.ConfigureAwait(false));
        var warnings = new List<string>(requests.Warnings);
        var gaps = new List<DataGap>();
        RequestCounts.AddWarningGaps(requests, gaps);
        var counts = ReadCounts(requests, exact ? CounterStart(query) : null, warnings);
        Dictionary<string, LatencyHistogram>? latencies = null;
        if (bucketsTask is not null && sumsTask is not null)
        {
            var buckets = exact ? RequireMatrix(await bucketsTask.ConfigureAwait(false)) : RequireVector(await bucketsTask.ConfigureAwait(false));
            var sums = exact ? RequireMatrix(await sumsTask.ConfigureAwait(false)) : RequireVector(await sumsTask.ConfigureAwait(false));
            warnings.AddRange(buckets.Warnings);
            warnings.AddRange(sums.Warnings);
            RequestCounts.AddWarningGaps(buckets, gaps);
            RequestCounts.AddWarningGaps(sums, gaps);
            latencies = ReadLatencies(buckets, sums, exact ? CounterStart(query) : null, warnings);
            foreach (var endpoint in latencies.Keys)
            {
                counts.TryAdd(endpoint, []);
            }
        }

        Dictionary<string, LatencySummary>? summaries = null;
        if (quantilesTask is not null && sumsTask is not null && summaryCountsTask is not null)
        {
            var quantiles = RequireVector(await quantilesTask.ConfigureAwait(false));
            var sums = RequireVector(await sumsTask.ConfigureAwait(false));
            var summaryCounts = RequireVector(await summaryCountsTask.ConfigureAwait(false));
            foreach (var part in (ReadOnlySpan<MetricQueryResult>)[quantiles, sums, summaryCounts])
            {
                warnings.AddRange(part.Warnings);
                RequestCounts.AddWarningGaps(part, gaps);
            }

            summaries = ReadSummaries(quantiles, sums, summaryCounts, warnings);
            foreach (var endpoint in summaries.Keys)
            {
                counts.TryAdd(endpoint, []);
            }
        }

        var endpoints = counts.Select(pair => new EndpointTraffic(
            pair.Key, pair.Value, Convention.SuccessRule, latencies?.GetValueOrDefault(pair.Key), summaries?.GetValueOrDefault(pair.Key)));
        return new TrafficSnapshot(query.End, query.Window, endpoints, warnings) { Gaps = gaps };
    }

    private static MetricQueryResult RequireVector(MetricQueryResult result) =>
        result.ResultType == MetricResultType.Vector
            ? result
            : throw new MetricQueryException(result.Query, MetricQueryErrorKind.InvalidResponse, $"expected an instant vector, got a {result.ResultType.ToString().ToLowerInvariant()}");

    private static MetricQueryResult RequireMatrix(MetricQueryResult result) =>
        result.ResultType == MetricResultType.Matrix
            ? result
            : throw new MetricQueryException(result.Query, MetricQueryErrorKind.InvalidResponse, $"expected a range vector (raw samples), got a {result.ResultType.ToString().ToLowerInvariant()}");

    // Prometheus evaluates at the end floored to the millisecond; the window's start on the same grid is ⌊end⌋ − range.
    private static DateTimeOffset CounterStart(TrafficQuery query) => PromQl.Floor(query.End) - PromQl.WindowRange(query);

    private static TimeSpan CounterRange(TrafficQuery query) => PromQl.WindowRange(query) + CounterLookback;

    private string EndpointOf(MetricSeries series) =>
        Convention.EndpointLabel is { } label ? series.GetLabel(label) : WholeServiceEndpoint;

    private Dictionary<string, Dictionary<StatusClass, double>> ReadCounts(MetricQueryResult result, DateTimeOffset? counterStart, List<string> warnings)
    {
        var counts = new Dictionary<string, Dictionary<StatusClass, double>>(StringComparer.Ordinal);
        var resets = 0;
        foreach (var series in result.Series)
        {
            var endpoint = EndpointOf(series);
            var status = series.GetLabel(Convention.StatusLabel);
            double value;
            if (counterStart is { } start)
            {
                value = CounterDifference.Since(series.Samples, start, out var seriesResets);
                resets += seriesResets;
                if (double.IsNaN(value))
                {
                    warnings.Add($"Endpoint '{endpoint}', status '{status}': a sample of the series is not a valid count (NaN, ±Inf, negative or 2^53 or more); the endpoint has no usable data.");
                }
            }
            else if (series.Samples.Count == 0)
            {
                warnings.Add($"Endpoint '{endpoint}', status '{status}': the series has no float sample (a native histogram?); the endpoint has no usable data.");
                value = double.NaN;
            }
            else if (!RequestCounts.IsValid(value = series.Samples[^1].Value))
            {
                warnings.Add($"Endpoint '{endpoint}', status '{status}': {RequestCounts.Why(value)}; the endpoint has no usable data.");
                value = double.NaN;
            }

            if (!counts.TryGetValue(endpoint, out var byClass))
            {
                byClass = [];
                counts.Add(endpoint, byClass);
            }

            var statusClass = Convention.ClassifyStatus(status);
            var sum = byClass.GetValueOrDefault(statusClass) + value;
            if (double.IsFinite(sum) && !RequestCounts.IsValid(sum))
            {
                warnings.Add($"Endpoint '{endpoint}': the {statusClass} counts add up to {RequestCounts.Why(sum)}; the endpoint has no usable data.");
                sum = double.NaN;
            }

            byClass[statusClass] = sum;
        }

        if (resets > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{resets} counter reset(s) in the window (a value dropped: a process restarted); counted from 0, as Prometheus does."));
        }

        return counts;
    }

    // With a counter start (exact counting) each series is its raw samples, differenced from the start; otherwise the
    // grouped increase()'s value. Series of the same endpoint and bound (pods) are added together.
    private Dictionary<string, LatencyHistogram> ReadLatencies(MetricQueryResult buckets, MetricQueryResult sums, DateTimeOffset? counterStart, List<string> warnings)
    {
        var scale = Convention.LatencyUnit == LatencyUnit.Milliseconds ? 0.001 : 1.0;
        var byEndpoint = new Dictionary<string, Dictionary<double, double>>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in buckets.Series)
        {
            if (series.Samples.Count == 0)
            {
                continue;
            }

            var endpoint = EndpointOf(series);
            var le = series.GetLabel("le");
            var count = ValueOf(series, counterStart);
            if (HistogramBuckets.Bound(endpoint, le, count, warnings, broken) is not { } bound)
            {
                continue;
            }

            if (!byEndpoint.TryGetValue(endpoint, out var byBound))
            {
                byBound = [];
                byEndpoint.Add(endpoint, byBound);
            }

            byBound[bound * scale] = byBound.GetValueOrDefault(bound * scale) + count;
        }

        var sumByEndpoint = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in sums.Series)
        {
            if (series.Samples.Count > 0)
            {
                var endpoint = EndpointOf(series);
                sumByEndpoint[endpoint] = sumByEndpoint.GetValueOrDefault(endpoint) + (ValueOf(series, counterStart) * scale);
            }
        }

        var histograms = new Dictionary<string, LatencyHistogram>(StringComparer.Ordinal);
        foreach (var (endpoint, byBound) in byEndpoint)
        {
            if (!broken.Contains(endpoint))
            {
                histograms.Add(endpoint, new LatencyHistogram(byBound.Select(pair => (pair.Key, pair.Value)), sumByEndpoint.GetValueOrDefault(endpoint, double.NaN)));
            }
        }

        return histograms;
    }

    private static double ValueOf(MetricSeries series, DateTimeOffset? counterStart) =>
        counterStart is { } start ? CounterDifference.Since(series.Samples, start, out _) : series.Samples[^1].Value;

    private Dictionary<string, LatencySummary> ReadSummaries(MetricQueryResult quantiles, MetricQueryResult sums, MetricQueryResult counts, List<string> warnings)
    {
        var scale = Convention.LatencyUnit == LatencyUnit.Milliseconds ? 0.001 : 1.0;
        var byEndpoint = new Dictionary<string, List<(double Quantile, double Value)>>(StringComparer.Ordinal);
        foreach (var series in quantiles.Series)
        {
            var endpoint = EndpointOf(series);
            var label = series.GetLabel("quantile");
            if (series.Samples.Count == 0 || !double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) || !(q is >= 0 and <= 1))
            {
                warnings.Add($"Endpoint '{endpoint}': summary quantile \"{label}\" is not a number between 0 and 1 and was ignored.");
                continue;
            }

            if (!byEndpoint.TryGetValue(endpoint, out var list))
            {
                list = [];
                byEndpoint.Add(endpoint, list);
            }

            list.Add((q, series.Samples[^1].Value * scale));
        }

        var sumByEndpoint = sums.Series.Where(s => s.Samples.Count > 0).ToDictionary(EndpointOf, s => s.Samples[^1].Value * scale, StringComparer.Ordinal);
        var countByEndpoint = counts.Series.Where(s => s.Samples.Count > 0).ToDictionary(EndpointOf, s => RequestCounts.IsValid(s.Samples[^1].Value) ? s.Samples[^1].Value : double.NaN, StringComparer.Ordinal);
        return byEndpoint.ToDictionary(
            pair => pair.Key,
            pair => new LatencySummary(pair.Value, countByEndpoint.GetValueOrDefault(pair.Key), sumByEndpoint.GetValueOrDefault(pair.Key, double.NaN)),
            StringComparer.Ordinal);
    }

    private string HistogramName() => Convention.LatencyHistogramMetric
        ?? throw new InvalidOperationException($"Traffic convention '{Convention.Name}' has no latency histogram (LatencyHistogramMetric is null).");

    private string SummaryName() => Convention.LatencySummaryMetric
        ?? throw new InvalidOperationException($"Traffic convention '{Convention.Name}' has no latency summary (LatencySummaryMetric is null).");

    private string BuildIncreaseQuery(TrafficQuery query, string metric, string? extraGroupLabel) =>
        BuildGroupedQuery(query, "sum", metric, Convention.LatencySelector, extraGroupLabel, increase: true);

    // <aggregation> by (<endpoint>, <extra>) (increase(<metric>{<fixed>,<selector>}[<window>])), or without increase() and
    // its range for a gauge-like metric (a summary's quantiles).
    private string BuildGroupedQuery(TrafficQuery query, string aggregation, string metric, LabelSelector fixedSelector, string? extraGroupLabel, bool increase)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = new List<string>(2);
        if (Convention.EndpointLabel is { } endpointLabel)
        {
            groups.Add(endpointLabel);
        }

        if (extraGroupLabel is not null)
        {
            groups.Add(extraGroupLabel);
        }

        var builder = new StringBuilder(128);
        builder.Append(aggregation).Append(" by (").AppendJoin(", ", groups).Append(") (");
        if (increase)
        {
            builder.Append("increase(");
        }

        builder.Append(metric).Append('{');
        fixedSelector.And(query.Selector).AppendTo(builder);
        builder.Append('}');
        if (increase)
        {
            builder.Append('[').Append(PromQl.Range(query)).Append("])");
        }

        builder.Append(')');
        return builder.ToString();
    }
}
