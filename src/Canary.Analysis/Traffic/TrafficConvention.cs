using Canary.Analysis.Internal;
using System.Collections.Frozen;
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
/// var perPath = TrafficConvention.Istio with { EndpointLabel = "request_path" };
/// </code>
/// </example>
/// <remarks>
/// Presets for meshes, ingresses and exporters are in the same type (<see cref="Istio"/>, <see cref="Linkerd"/>,
/// <see cref="Envoy"/>, <see cref="NginxIngress"/>, <see cref="Traefik"/>, …); each names the builtin query it follows.
/// <para>Configuration binds a preset by its name (<c>"Convention": "istio"</c>); an unknown name fails the binding.</para>
/// </remarks>
[System.ComponentModel.TypeConverter(typeof(TrafficConventionConverter))]
public sealed partial record TrafficConvention : IValidatable
{
    private readonly FrozenDictionary<string, StatusClass>? _statusValueClasses;

    /// <summary>Gets a short name for reports.</summary>
    /// <value>The default value is <c>"custom"</c>.</value>
    public string Name { get; init; } = "custom";

    /// <summary>Gets the full name of the request counter (a counter, or a histogram's <c>_count</c> series).</summary>
    public required string RequestCountMetric { get; init; }

    /// <summary>Gets the label that names the endpoint, or null when the stack has none (the whole service is one endpoint).</summary>
    public string? EndpointLabel { get; init; }

    /// <summary>Gets the label that holds the HTTP status.</summary>
    public required string StatusLabel { get; init; }

    /// <summary>
    /// Gets fixed matchers added to the request-count query before the caller's selector, for example
    /// <c>reporter="destination"</c> (Istio), <c>direction="inbound"</c> (Linkerd) or <c>le="+Inf"</c> when the
    /// request counter is a histogram's <c>+Inf</c> bucket (Traefik, Skipper).
    /// </summary>
    /// <value>The default value is <see cref="LabelSelector.Empty"/>.</value>
    public LabelSelector RequestSelector { get; init; } = LabelSelector.Empty;

    /// <summary>Gets fixed matchers added to the latency queries before the caller's selector, for example <c>type="request"</c> (APISIX).</summary>
    /// <value>The default value is <see cref="LabelSelector.Empty"/>.</value>
    public LabelSelector LatencySelector { get; init; } = LabelSelector.Empty;

    /// <summary>
    /// Gets the class of status label values that are not HTTP statuses, for stacks whose status label holds
    /// something else: Linkerd's <c>classification</c> is <c>success</c> or <c>failure</c>. Values listed here win over
    /// <see cref="Classify(string?)"/>; values not listed are classified as HTTP statuses. Copied when set.
    /// </summary>
    /// <value>The default value is null: every value is read as an HTTP status.</value>
    public IReadOnlyDictionary<string, StatusClass>? StatusValueClasses
    {
        get => _statusValueClasses;
        init => _statusValueClasses = value?.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets which responses count as successful.</summary>
    /// <value>The default value is <see cref="SuccessRule.Status2xx"/>.</value>
    public SuccessRule SuccessRule { get; init; } = SuccessRule.Status2xx;

    /// <summary>
    /// Gets the base name of the latency histogram (its series are <c>&lt;name&gt;_bucket</c> and <c>&lt;name&gt;_sum</c>),
    /// or null when the stack exports none.
    /// </summary>
    public string? LatencyHistogramMetric { get; init; }

    /// <summary>
    /// Gets the base name of a latency summary (series <c>&lt;name&gt;{quantile="…"}</c>, <c>_sum</c>, <c>_count</c>), read
    /// when <see cref="LatencyHistogramMetric"/> is null; or null when the stack exports none.
    /// </summary>
    public string? LatencySummaryMetric { get; init; }

    /// <summary>Gets the unit of the latency histogram's (or summary's) values.</summary>
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

    /// <summary>
    /// Reads the class of a status label value under this convention: <see cref="StatusValueClasses"/> first, then
    /// <see cref="Classify(string?)"/>.
    /// </summary>
    /// <param name="status">The label value.</param>
    /// <returns>The class.</returns>
    public StatusClass ClassifyStatus(string? status) =>
        status is not null && _statusValueClasses is not null && _statusValueClasses.TryGetValue(status, out var statusClass)
            ? statusClass
            : Classify(status);

    /// <summary>Whether a response of the given class counts as successful under <see cref="SuccessRule"/>.</summary>
    /// <param name="statusClass">The class.</param>
    /// <returns>True for a success.</returns>
    public bool IsSuccess(StatusClass statusClass) => SuccessRules.IsSuccess(SuccessRule, statusClass);

    /// <summary>Checks that the names are valid PromQL names and the rule is known.</summary>
    /// <exception cref="ArgumentException">A name is invalid; the message names the property and its value.</exception>
    public void Validate()
    {
        if (FindProblem("TrafficConvention.") is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Property);
        }
    }

    /// <summary>Finds the first broken rule of <see cref="Validate"/>.</summary>
    /// <param name="prefix">What the message puts before a property name: <c>TrafficConvention.</c>, or a configuration path such as <c>CanaryAnalysis:Convention:</c>.</param>
    /// <returns>The message and the property it names, or null when the convention is valid.</returns>
    internal (string Message, string Property)? FindProblem(string prefix)
    {
        if (!PromQl.IsValidMetricName(RequestCountMetric))
        {
            return ($"{prefix}RequestCountMetric '{RequestCountMetric}' is not a valid metric name.", nameof(RequestCountMetric));
        }

        if (!PromQl.IsValidLabelName(StatusLabel))
        {
            return ($"{prefix}StatusLabel '{StatusLabel}' is not a valid label name.", nameof(StatusLabel));
        }

        if (EndpointLabel is not null && !PromQl.IsValidLabelName(EndpointLabel))
        {
            return ($"{prefix}EndpointLabel '{EndpointLabel}' is not a valid label name.", nameof(EndpointLabel));
        }

        if (string.Equals(EndpointLabel, StatusLabel, StringComparison.Ordinal))
        {
            return ($"{prefix}EndpointLabel and StatusLabel are both '{StatusLabel}'.", nameof(EndpointLabel));
        }

        if (LatencyHistogramMetric is not null && !PromQl.IsValidMetricName(LatencyHistogramMetric))
        {
            return ($"{prefix}LatencyHistogramMetric '{LatencyHistogramMetric}' is not a valid metric name.", nameof(LatencyHistogramMetric));
        }

        if (LatencySummaryMetric is not null && !PromQl.IsValidMetricName(LatencySummaryMetric))
        {
            return ($"{prefix}LatencySummaryMetric '{LatencySummaryMetric}' is not a valid metric name.", nameof(LatencySummaryMetric));
        }

        if (!Enum.IsDefined(LatencyUnit))
        {
            return ($"{prefix}LatencyUnit '{LatencyUnit}' is not a known unit.", nameof(LatencyUnit));
        }

        if (RequestSelector is null)
        {
            return ($"{prefix}RequestSelector must not be null; use LabelSelector.Empty.", nameof(RequestSelector));
        }

        if (LatencySelector is null)
        {
            return ($"{prefix}LatencySelector must not be null; use LabelSelector.Empty.", nameof(LatencySelector));
        }

        if (_statusValueClasses is not null)
        {
            foreach (var (value, statusClass) in _statusValueClasses)
            {
                if (!Enum.IsDefined(statusClass))
                {
                    return ($"{prefix}StatusValueClasses['{value}'] is '{statusClass}', not a known status class.", nameof(StatusValueClasses));
                }
            }
        }

        if (!Enum.IsDefined(SuccessRule))
        {
            return ($"{prefix}SuccessRule '{SuccessRule}' is not a known rule.", nameof(SuccessRule));
        }

        return null;
    }
}
