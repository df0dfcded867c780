using System.Globalization;
using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>
/// Reads per-endpoint traffic from a Prometheus-compatible provider with <b>one</b> grouped query,
/// whatever the number of endpoints:
/// <c>sum by (&lt;endpoint&gt;, &lt;status&gt;) (increase(&lt;metric&gt;{&lt;fixed matchers&gt;,&lt;selector&gt;}[&lt;window&gt;]))</c>,
/// where the fixed matchers are the convention's <see cref="TrafficConvention.RequestSelector"/>.
/// </summary>
/// <remarks>
/// The per-endpoint arithmetic (weights, rates) happens in C#, not in PromQL. Series whose value is NaN or
/// infinite are kept as such, so the endpoint is reported as having no usable data rather than looking healthy.
/// </remarks>
public sealed class PrometheusTrafficSource : ITrafficSource
{
    /// <summary>The endpoint name used when the convention has no endpoint label (the whole service).</summary>
    public const string WholeServiceEndpoint = "*";

    private readonly IMetricProvider _provider;
    private readonly TrafficConvention _convention;

    /// <summary>Creates a source.</summary>
    /// <param name="provider">The metric provider (for example <c>PrometheusMetricProvider</c>).</param>
    /// <param name="convention">How the stack names its metrics and labels.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The convention has invalid names.</exception>
    public PrometheusTrafficSource(IMetricProvider provider, TrafficConvention convention)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(convention);
        convention.Validate();
        _provider = provider;
        _convention = convention;
    }

    /// <summary>Gets the convention the source reads with.</summary>
    public TrafficConvention Convention => _convention;

    /// <summary>Renders the grouped PromQL query the source sends for <paramref name="query"/>.</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    public string BuildRequestQuery(TrafficQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var builder = new StringBuilder(128);
        builder.Append("sum by (");
        if (_convention.EndpointLabel is { } endpointLabel)
        {
            builder.Append(endpointLabel).Append(", ");
        }

        builder.Append(_convention.StatusLabel).Append(") (increase(").Append(_convention.RequestCountMetric).Append('{');
        _convention.RequestSelector.And(query.Selector).AppendTo(builder);
        builder.Append("}[").Append(PromQl.Duration(query.Window)).Append("]))");
        return builder.ToString();
    }

    /// <summary>Renders the grouped query for the latency buckets: <c>sum by (&lt;endpoint&gt;, le) (increase(&lt;histogram&gt;_bucket{…}[w]))</c>.</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The convention has no latency histogram.</exception>
    public string BuildLatencyBucketQuery(TrafficQuery query) => BuildHistogramQuery(query, "_bucket", "le");

    /// <summary>Renders the grouped query for the latency sums: <c>sum by (&lt;endpoint&gt;) (increase(&lt;histogram&gt;_sum{…}[w]))</c>.</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The PromQL text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The convention has no latency histogram.</exception>
    public string BuildLatencySumQuery(TrafficQuery query) => BuildHistogramQuery(query, "_sum", null);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Latency was asked for but the convention has no latency histogram.</exception>
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var requestQuery = BuildRequestQuery(query);
        var requestsTask = _provider.QueryAsync(requestQuery, query.End, cancellationToken);
        Task<MetricQueryResult>? bucketsTask = null, sumsTask = null;
        if (query.IncludeLatency)
        {
            bucketsTask = _provider.QueryAsync(BuildLatencyBucketQuery(query), query.End, cancellationToken);
            sumsTask = _provider.QueryAsync(BuildLatencySumQuery(query), query.End, cancellationToken);
        }

        var requests = RequireVector(await requestsTask.ConfigureAwait(false));
        var warnings = new List<string>(requests.Warnings);
        var counts = ReadCounts(requests, warnings);
        Dictionary<string, LatencyHistogram>? latencies = null;
        if (bucketsTask is not null && sumsTask is not null)
        {
            var buckets = RequireVector(await bucketsTask.ConfigureAwait(false));
            var sums = RequireVector(await sumsTask.ConfigureAwait(false));
            warnings.AddRange(buckets.Warnings);
            warnings.AddRange(sums.Warnings);
            latencies = ReadLatencies(buckets, sums, warnings);
            foreach (var endpoint in latencies.Keys)
            {
                counts.TryAdd(endpoint, []);
            }
        }

        var endpoints = counts.Select(pair => new EndpointTraffic(
            pair.Key, pair.Value, _convention.SuccessRule, latencies?.GetValueOrDefault(pair.Key)));
        return new TrafficSnapshot(query.End, query.Window, endpoints, warnings);
    }

    private static MetricQueryResult RequireVector(MetricQueryResult result) =>
        result.ResultType == MetricResultType.Vector
            ? result
            : throw new MetricQueryException(result.Query, MetricQueryErrorKind.InvalidResponse, $"expected an instant vector, got a {result.ResultType.ToString().ToLowerInvariant()}");

    private string EndpointOf(MetricSeries series) =>
        _convention.EndpointLabel is { } label ? series.GetLabel(label) : WholeServiceEndpoint;

    private Dictionary<string, Dictionary<StatusClass, double>> ReadCounts(MetricQueryResult result, List<string> warnings)
    {
        var counts = new Dictionary<string, Dictionary<StatusClass, double>>(StringComparer.Ordinal);
        foreach (var series in result.Series)
        {
            if (series.Samples.Count == 0)
            {
                continue;
            }

            var endpoint = EndpointOf(series);
            var status = series.GetLabel(_convention.StatusLabel);
            var value = series.Samples[^1].Value;
            if (!double.IsFinite(value) || value < 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}', status '{status}': value {value} is not a valid request count; the endpoint has no usable data."));
                value = double.NaN;
            }

            if (!counts.TryGetValue(endpoint, out var byClass))
            {
                byClass = [];
                counts.Add(endpoint, byClass);
            }

            var statusClass = _convention.ClassifyStatus(status);
            byClass[statusClass] = byClass.GetValueOrDefault(statusClass) + value;
        }

        return counts;
    }

    private Dictionary<string, LatencyHistogram> ReadLatencies(MetricQueryResult buckets, MetricQueryResult sums, List<string> warnings)
    {
        var scale = _convention.LatencyUnit == LatencyUnit.Milliseconds ? 0.001 : 1.0;
        var byEndpoint = new Dictionary<string, List<(double UpperBound, double CumulativeCount)>>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in buckets.Series)
        {
            if (series.Samples.Count == 0)
            {
                continue;
            }

            var endpoint = EndpointOf(series);
            var le = series.GetLabel("le");
            var count = series.Samples[^1].Value;
            if (!TryParseBound(le, out var bound))
            {
                // Prometheus' histogram_quantile ignores such series too.
                warnings.Add($"Endpoint '{endpoint}': bucket le=\"{le}\" is not a number and was ignored.");
                continue;
            }

            if (!double.IsFinite(count) || count < 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}': bucket le=\"{le}\" has count {count}; the endpoint has no usable latency."));
                broken.Add(endpoint);
                continue;
            }

            if (!byEndpoint.TryGetValue(endpoint, out var list))
            {
                list = [];
                byEndpoint.Add(endpoint, list);
            }

            list.Add((bound * scale, count));
        }

        var sumByEndpoint = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in sums.Series)
        {
            if (series.Samples.Count > 0)
            {
                sumByEndpoint[EndpointOf(series)] = series.Samples[^1].Value * scale;
            }
        }

        var histograms = new Dictionary<string, LatencyHistogram>(StringComparer.Ordinal);
        foreach (var (endpoint, list) in byEndpoint)
        {
            if (!broken.Contains(endpoint))
            {
                histograms.Add(endpoint, new LatencyHistogram(list, sumByEndpoint.GetValueOrDefault(endpoint, double.NaN)));
            }
        }

        return histograms;
    }

    private static bool TryParseBound(string le, out double bound)
    {
        if (le is "+Inf" or "Inf" or "+inf" or "inf")
        {
            bound = double.PositiveInfinity;
            return true;
        }

        return double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out bound) && !double.IsNaN(bound);
    }

    private string BuildHistogramQuery(TrafficQuery query, string suffix, string? extraGroupLabel)
    {
        ArgumentNullException.ThrowIfNull(query);
        var histogram = _convention.LatencyHistogramMetric
            ?? throw new InvalidOperationException($"Traffic convention '{_convention.Name}' has no latency histogram (LatencyHistogramMetric is null).");
        var groups = new List<string>(2);
        if (_convention.EndpointLabel is { } endpointLabel)
        {
            groups.Add(endpointLabel);
        }

        if (extraGroupLabel is not null)
        {
            groups.Add(extraGroupLabel);
        }

        var builder = new StringBuilder(128);
        builder.Append("sum by (").AppendJoin(", ", groups).Append(") (increase(").Append(histogram).Append(suffix).Append('{');
        _convention.LatencySelector.And(query.Selector).AppendTo(builder);
        builder.Append("}[").Append(PromQl.Duration(query.Window)).Append("]))");
        return builder.ToString();
    }
}
