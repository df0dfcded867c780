using Canary.Analysis.Traffic.Internal;

namespace Canary.Analysis.Traffic;

/// <summary>
/// How a stack names its request metrics: the request counter, the endpoint and status labels, and what
/// counts as success. Use a preset, or define your own with an object initializer.
/// </summary>
/// <example>
/// <code>
/// var convention = new TrafficConvention { Name = "my-app", RequestCountMetric = "app_requests_total", EndpointLabel = "route", StatusLabel = "status" };
/// var lenient = TrafficConvention.PrometheusNet with { SuccessRule = SuccessRule.Non5xx };
/// </code>
/// </example>
public sealed record TrafficConvention
{
    /// <summary>
    /// Gets prometheus-net.AspNetCore's convention: <c>http_request_duration_seconds_count</c> with labels
    /// <c>endpoint</c> and <c>code</c> (full codes, or <c>2xx</c>/<c>5xx</c> with <c>ReduceStatusCodeCardinality()</c>).
    /// </summary>
    public static TrafficConvention PrometheusNet { get; } = new()
    {
        Name = "prometheus-net",
        RequestCountMetric = "http_request_duration_seconds_count",
        EndpointLabel = "endpoint",
        StatusLabel = "code",
        LatencyHistogramMetric = "http_request_duration_seconds",
    };

    /// <summary>
    /// Gets express-prom-bundle's (prom-client) convention: <c>http_request_duration_seconds_count</c> with labels
    /// <c>path</c> and <c>status_code</c>.
    /// </summary>
    public static TrafficConvention ExpressPromBundle { get; } = new()
    {
        Name = "express-prom-bundle",
        RequestCountMetric = "http_request_duration_seconds_count",
        EndpointLabel = "path",
        StatusLabel = "status_code",
        LatencyHistogramMetric = "http_request_duration_seconds",
    };

    /// <summary>Gets a short name for reports.</summary>
    /// <value>The default value is <c>"custom"</c>.</value>
    public string Name { get; init; } = "custom";

    /// <summary>Gets the full name of the request counter (a counter, or a histogram's <c>_count</c> series).</summary>
    public required string RequestCountMetric { get; init; }

    /// <summary>Gets the label that names the endpoint, or null when the stack has none (the whole service is one endpoint).</summary>
    public string? EndpointLabel { get; init; }

    /// <summary>Gets the label that holds the HTTP status.</summary>
    public required string StatusLabel { get; init; }

    /// <summary>Gets which responses count as successful.</summary>
    /// <value>The default value is <see cref="SuccessRule.Status2xx"/>.</value>
    public SuccessRule SuccessRule { get; init; } = SuccessRule.Status2xx;

    /// <summary>
    /// Gets the base name of the latency histogram (its series are <c>&lt;name&gt;_bucket</c> and <c>&lt;name&gt;_sum</c>),
    /// or null when the stack exports none.
    /// </summary>
    public string? LatencyHistogramMetric { get; init; }

    /// <summary>Gets the unit of the latency histogram's bounds and sum.</summary>
    /// <value>The default value is <see cref="LatencyUnit.Seconds"/>.</value>
    public LatencyUnit LatencyUnit { get; init; } = LatencyUnit.Seconds;

    /// <summary>Reads the class of a status label value: <c>200</c> and <c>2xx</c> are both <see cref="StatusClass.Success"/>.</summary>
    /// <param name="status">The label value.</param>
    /// <returns>The class; <see cref="StatusClass.Other"/> when the value is not an HTTP status.</returns>
    public static StatusClass Classify(string? status)
    {
        if (status is null || status.Length != 3 || status[0] is < '1' or > '5')
        {
            return StatusClass.Other;
        }

        var reduced = (status[1] is 'x' or 'X') && (status[2] is 'x' or 'X');
        var numeric = char.IsAsciiDigit(status[1]) && char.IsAsciiDigit(status[2]);
        if (!reduced && !numeric)
        {
            return StatusClass.Other;
        }

        return (StatusClass)(status[0] - '0');
    }

    /// <summary>Whether a response of the given class counts as successful under <see cref="SuccessRule"/>.</summary>
    /// <param name="statusClass">The class.</param>
    /// <returns>True for a success.</returns>
    public bool IsSuccess(StatusClass statusClass) => SuccessRules.IsSuccess(SuccessRule, statusClass);

    /// <summary>Checks that the names are valid PromQL names and the rule is known.</summary>
    /// <exception cref="ArgumentException">A name is invalid; the message names the property and its value.</exception>
    public void Validate()
    {
        if (!PromQl.IsValidMetricName(RequestCountMetric))
        {
            throw new ArgumentException($"TrafficConvention.RequestCountMetric '{RequestCountMetric}' is not a valid metric name.", nameof(RequestCountMetric));
        }

        if (!PromQl.IsValidLabelName(StatusLabel))
        {
            throw new ArgumentException($"TrafficConvention.StatusLabel '{StatusLabel}' is not a valid label name.", nameof(StatusLabel));
        }

        if (EndpointLabel is not null && !PromQl.IsValidLabelName(EndpointLabel))
        {
            throw new ArgumentException($"TrafficConvention.EndpointLabel '{EndpointLabel}' is not a valid label name.", nameof(EndpointLabel));
        }

        if (string.Equals(EndpointLabel, StatusLabel, StringComparison.Ordinal))
        {
            throw new ArgumentException($"TrafficConvention.EndpointLabel and StatusLabel are both '{StatusLabel}'.", nameof(EndpointLabel));
        }

        if (LatencyHistogramMetric is not null && !PromQl.IsValidMetricName(LatencyHistogramMetric))
        {
            throw new ArgumentException($"TrafficConvention.LatencyHistogramMetric '{LatencyHistogramMetric}' is not a valid metric name.", nameof(LatencyHistogramMetric));
        }

        if (!Enum.IsDefined(LatencyUnit))
        {
            throw new ArgumentException($"TrafficConvention.LatencyUnit '{LatencyUnit}' is not a known unit.", nameof(LatencyUnit));
        }

        if (!Enum.IsDefined(SuccessRule))
        {
            throw new ArgumentException($"TrafficConvention.SuccessRule '{SuccessRule}' is not a known rule.", nameof(SuccessRule));
        }
    }
}
