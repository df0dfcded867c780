using Canary.Analysis.Internal;

namespace Canary.Analysis.Metrics.Datadog;

/// <summary>
/// How a service's Datadog APM trace metrics are named: <c>trace.&lt;span&gt;.hits</c>, <c>trace.&lt;span&gt;.errors</c>
/// and the <c>trace.&lt;span&gt;</c> distribution, grouped by <c>resource_name</c>.
/// </summary>
/// <example>
/// <code>
/// var convention = new DatadogTraceConvention { Service = "web", SpanName = "aspnet_core.request", Tags = ["env:prod"] };
/// </code>
/// </example>
public sealed record DatadogTraceConvention : IValidatable
{
    /// <summary>Gets the APM service (the <c>service:</c> tag filter).</summary>
    public required string Service { get; init; }

    /// <summary>Gets the operation (span) name, e.g. <c>http.request</c>, <c>aspnet_core.request</c>, <c>express.request</c>.</summary>
    /// <value>The default value is <c>http.request</c>.</value>
    public string SpanName { get; init; } = "http.request";

    /// <summary>Gets the tag that names the endpoint, or null to read the whole service as one endpoint.</summary>
    /// <value>The default value is <c>resource_name</c>.</value>
    public string? EndpointTag { get; init; } = "resource_name";

    /// <summary>Gets fixed <c>key:value</c> filters added to every query (for example <c>env:prod</c>).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Checks the names: tag keys and values may hold letters, digits and <c>_ - : . /</c> only.</summary>
    /// <exception cref="ArgumentException">A name is invalid; the message names the property and its value.</exception>
    public void Validate()
    {
        if (FindProblem("DatadogTraceConvention.") is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Property);
        }
    }

    /// <summary>Finds the first broken rule of <see cref="Validate"/>.</summary>
    /// <param name="prefix">What the message puts before a property name: <c>DatadogTraceConvention.</c>, or a configuration path such as <c>CanaryAnalysis:Convention:</c>.</param>
    /// <returns>The message and the property it names, or null when the convention is valid.</returns>
    internal (string Message, string Property)? FindProblem(string prefix)
    {
        if (!IsTagText(Service, allowColon: false))
        {
            return ($"{prefix}Service '{Service}' is not a valid Datadog service name.", nameof(Service));
        }

        if (!IsTagText(SpanName, allowColon: false))
        {
            return ($"{prefix}SpanName '{SpanName}' is not a valid span name.", nameof(SpanName));
        }

        if (EndpointTag is not null && !IsTagText(EndpointTag, allowColon: false))
        {
            return ($"{prefix}EndpointTag '{EndpointTag}' is not a valid tag key.", nameof(EndpointTag));
        }

        if (Tags is null)
        {
            return ($"{prefix}Tags must not be null.", nameof(Tags));
        }

        foreach (var tag in Tags)
        {
            var colon = tag?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (tag is null || colon <= 0 || !IsTagText(tag[..colon], allowColon: false) || !IsTagText(tag[(colon + 1)..], allowColon: true))
            {
                return ($"{prefix}Tags has '{tag}', which is not a key:value tag filter.", nameof(Tags));
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="text"/> can be written into a Datadog tag filter as it is.</summary>
    internal static bool IsTagText(string? text, bool allowColon)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' || (allowColon && c == ':')))
            {
                return false;
            }
        }

        return true;
    }
}
