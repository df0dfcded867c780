using System.Globalization;
using System.Text;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>
/// Reads per-endpoint traffic from Datadog APM trace metrics with one grouped v2 scalar query per signal, summed over
/// the window: <c>sum:trace.&lt;span&gt;.hits{service:…,…} by {resource_name}.as_count()</c> and the same for
/// <c>.errors</c>; with <see cref="TrafficQuery.IncludeLatency"/>, one more for the <c>trace.&lt;span&gt;</c> distribution.
/// </summary>
/// <remarks>
/// <para><b>Limits.</b> Datadog gives no status-class breakdown: errors are counted as
/// <see cref="StatusClass.ServerError"/> and hits − errors as <see cref="StatusClass.Success"/> (what counts as an error
/// is the tracer's rule: 5xx for HTTP servers by default). Latency is the <b>mean</b> only: the sum of the
/// <c>trace.&lt;span&gt;</c> distribution (seconds) over the hits, in a <see cref="LatencyHistogram"/> with a single
/// <c>+Inf</c> bucket, so <see cref="LatencyHistogram.Mean"/> is set and quantiles are NaN (quantile checks are then
/// Inconclusive, never Pass). Datadog's <c>p95:</c> percentiles are precomputed per query and cannot be merged or
/// turned into buckets.</para>
/// <para>The caller's <see cref="TrafficQuery.Selector"/> becomes tag filters: <c>version="canary"</c> → <c>version:canary</c>,
/// <c>!=</c> → <c>!key:value</c>; regular-expression matchers are rejected (Datadog filters have none).</para>
/// </remarks>
public sealed class DatadogTrafficSource : ITrafficSource
{
    private readonly IDatadogScalarQuery _provider;

    /// <summary>Creates a source.</summary>
    /// <param name="provider">What runs the scalar queries: a <see cref="DatadogMetricProvider"/>, or any <see cref="IDatadogScalarQuery"/>.</param>
    /// <param name="convention">The service, span name, endpoint tag and fixed tags.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The convention has invalid names.</exception>
    public DatadogTrafficSource(IDatadogScalarQuery provider, DatadogTraceConvention convention)
    {
        _provider = Guard.NotNull(provider);
        Convention = Guard.Validated(convention);
    }

    /// <summary>Gets the convention the source reads with.</summary>
    public DatadogTraceConvention Convention { get; }

    /// <summary>Renders the hits query: <c>sum:trace.&lt;span&gt;.hits{…} by {resource_name}.as_count()</c>.</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The Datadog query text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentException">The selector has a matcher Datadog cannot express, or a value with characters a tag filter cannot hold.</exception>
    public string BuildHitsQuery(TrafficQuery query) => Build(query, ".hits", asCount: true);

    /// <summary>Renders the errors query: <c>sum:trace.&lt;span&gt;.errors{…} by {resource_name}.as_count()</c>.</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The Datadog query text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentException">The selector has a matcher Datadog cannot express, or a value with characters a tag filter cannot hold.</exception>
    public string BuildErrorsQuery(TrafficQuery query) => Build(query, ".errors", asCount: true);

    /// <summary>Renders the latency query: <c>sum:trace.&lt;span&gt;{…} by {resource_name}</c> (the duration distribution's sum, seconds).</summary>
    /// <param name="query">The traffic query.</param>
    /// <returns>The Datadog query text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentException">The selector has a matcher Datadog cannot express, or a value with characters a tag filter cannot hold.</exception>
    public string BuildDurationQuery(TrafficQuery query) => Build(query, string.Empty, asCount: false);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The selector has a matcher Datadog cannot express.</exception>
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hitsTask = _provider.QueryScalarAsync(BuildHitsQuery(query), query.Start, query.End, DatadogAggregator.Sum, cancellationToken);
        var errorsTask = _provider.QueryScalarAsync(BuildErrorsQuery(query), query.Start, query.End, DatadogAggregator.Sum, cancellationToken);
        var durationTask = query.IncludeLatency
            ? _provider.QueryScalarAsync(BuildDurationQuery(query), query.Start, query.End, DatadogAggregator.Sum, cancellationToken)
            : null;

        var hitsResult = await hitsTask.ConfigureAwait(false);
        var errorsResult = await errorsTask.ConfigureAwait(false);
        var durationResult = durationTask is null ? null : await durationTask.ConfigureAwait(false);
        var hits = ByEndpoint(hitsResult);
        var errors = ByEndpoint(errorsResult);
        var durations = durationResult is null ? null : ByEndpoint(durationResult);
        var warnings = new List<string>();
        var gaps = new List<DataGap>();
        foreach (var result in durationResult is null ? [hitsResult, errorsResult] : (MetricQueryResult[])[hitsResult, errorsResult, durationResult])
        {
            // Datadog reports a failed (or partly failed) query in "errors", which the provider throws on; any warning a
            // provider attaches to a result still means the data may be partial.
            warnings.AddRange(result.Warnings);
            RequestCounts.AddWarningGaps(result, gaps);
        }

        var endpoints = new List<EndpointTraffic>();
        foreach (var endpoint in hits.Keys.Union(errors.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var requests = hits.GetValueOrDefault(endpoint, double.NaN);
            var failed = errors.GetValueOrDefault(endpoint);
            if (double.IsNaN(requests))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}': {failed} errors but no hits; counted as {failed} requests, all failed."));
                requests = failed;
            }

            if (!RequestCounts.IsValid(requests) || !RequestCounts.IsValid(failed))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}': hits {requests:R} and errors {failed:R} are not valid counts (finite, not negative, below 2^53); the endpoint has no usable data."));
                endpoints.Add(new EndpointTraffic(endpoint, new Dictionary<StatusClass, double> { [StatusClass.ServerError] = double.NaN }));
                continue;
            }

            if (failed > requests)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Endpoint '{endpoint}': {failed} errors exceed {requests} hits (metrics of different flush times); requests taken as {failed}."));
                requests = failed;
            }

            LatencyHistogram? latency = null;
            if (durations is not null && durations.TryGetValue(endpoint, out var seconds))
            {
                latency = new LatencyHistogram([(double.PositiveInfinity, requests)], seconds);
            }

            endpoints.Add(new EndpointTraffic(
                endpoint,
                new Dictionary<StatusClass, double> { [StatusClass.Success] = requests - failed, [StatusClass.ServerError] = failed },
                SuccessRule.Status2xx,
                latency));
        }

        return new TrafficSnapshot(query.End, query.Window, endpoints, warnings) { Gaps = gaps };
    }

    private Dictionary<string, double> ByEndpoint(MetricQueryResult result)
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in result.Series)
        {
            if (series.Samples.Count > 0)
            {
                var endpoint = Convention.EndpointTag is { } tag ? series.GetLabel(tag) : PrometheusTrafficSource.WholeServiceEndpoint;
                map[endpoint] = map.GetValueOrDefault(endpoint) + series.Samples[^1].Value;
            }
        }

        return map;
    }

    private string Build(TrafficQuery query, string suffix, bool asCount)
    {
        ArgumentNullException.ThrowIfNull(query);
        var builder = new StringBuilder(160);
        builder.Append("sum:trace.").Append(Convention.SpanName).Append(suffix).Append("{service:").Append(Convention.Service);
        foreach (var tag in Convention.Tags)
        {
            builder.Append(',').Append(tag);
        }

        foreach (var matcher in query.Selector.Matchers)
        {
            var negate = matcher.Operator switch
            {
                MatchOperator.Equal => false,
                MatchOperator.NotEqual => true,
                _ => throw new ArgumentException($"Datadog tag filters have no regular expressions; the matcher {matcher} cannot be sent (use = or !=).", nameof(query)),
            };
            if (!DatadogTraceConvention.IsTagText(matcher.Name, allowColon: false) || !DatadogTraceConvention.IsTagText(matcher.Value, allowColon: true))
            {
                throw new ArgumentException($"The matcher {matcher} has characters a Datadog tag filter cannot hold (letters, digits and _ - : . / only).", nameof(query));
            }

            builder.Append(',').Append(negate ? "!" : string.Empty).Append(matcher.Name).Append(':').Append(matcher.Value);
        }

        builder.Append('}');
        if (Convention.EndpointTag is { } endpointTag)
        {
            builder.Append(" by {").Append(endpointTag).Append('}');
        }

        if (asCount)
        {
            builder.Append(".as_count()");
        }

        return builder.ToString();
    }
}
