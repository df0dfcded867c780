using System.Globalization;
using System.Text;
using Canary.Analysis.Metrics;
using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>
/// Reads per-endpoint traffic from a Prometheus-compatible provider with <b>one</b> grouped query,
/// whatever the number of endpoints:
/// <c>sum by (&lt;endpoint&gt;, &lt;status&gt;) (increase(&lt;metric&gt;{&lt;selector&gt;}[&lt;window&gt;]))</c>.
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
        query.Selector.AppendTo(builder);
        builder.Append("}[").Append(PromQl.Duration(query.Window)).Append("]))");
        return builder.ToString();
    }

    /// <inheritdoc />
    public async Task<TrafficSnapshot> ReadAsync(TrafficQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var promQl = BuildRequestQuery(query);
        var result = await _provider.QueryAsync(promQl, query.End, cancellationToken).ConfigureAwait(false);
        if (result.ResultType != MetricResultType.Vector)
        {
            throw new MetricQueryException(promQl, MetricQueryErrorKind.InvalidResponse, $"expected an instant vector, got a {result.ResultType.ToString().ToLowerInvariant()}");
        }

        var counts = new Dictionary<string, Dictionary<StatusClass, double>>(StringComparer.Ordinal);
        var warnings = new List<string>(result.Warnings);
        foreach (var series in result.Series)
        {
            if (series.Samples.Count == 0)
            {
                continue;
            }

            var endpoint = _convention.EndpointLabel is { } label ? series.GetLabel(label) : WholeServiceEndpoint;
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

            var statusClass = TrafficConvention.Classify(status);
            byClass[statusClass] = byClass.GetValueOrDefault(statusClass) + value;
        }

        var endpoints = counts.Select(pair => new EndpointTraffic(pair.Key, pair.Value, _convention.SuccessRule));
        return new TrafficSnapshot(query.End, query.Window, endpoints, warnings);
    }
}
