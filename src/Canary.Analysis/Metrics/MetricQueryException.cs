namespace Canary.Analysis.Metrics;

/// <summary>A query failed. The message names the query and what the backend said.</summary>
public sealed class MetricQueryException : Exception
{
    /// <summary>Creates an exception without details (for serializers and tooling).</summary>
    public MetricQueryException()
        : this("The metric query failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MetricQueryException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MetricQueryException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Query = string.Empty;
        Warnings = [];
    }

    /// <summary>Creates an exception for a failed query.</summary>
    /// <param name="query">The query that failed.</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">What the backend or the transport said.</param>
    /// <param name="statusCode">The HTTP status code, when there was a response.</param>
    /// <param name="errorType">The backend's own error type (Prometheus' <c>errorType</c>), when it gave one.</param>
    /// <param name="warnings">Warnings that came with the error.</param>
    /// <param name="innerException">The cause.</param>
    public MetricQueryException(
        string query,
        MetricQueryErrorKind kind,
        string message,
        int? statusCode = null,
        string? errorType = null,
        IReadOnlyList<string>? warnings = null,
        Exception? innerException = null)
        : base(Describe(query, kind, message, statusCode, errorType), innerException)
    {
        Query = query ?? string.Empty;
        Kind = kind;
        StatusCode = statusCode;
        ErrorType = errorType;
        BackendMessage = message;
        Warnings = warnings ?? [];
    }

    /// <summary>Gets the query that failed.</summary>
    public string Query { get; }

    /// <summary>Gets what went wrong.</summary>
    public MetricQueryErrorKind Kind { get; }

    /// <summary>Gets the HTTP status code, when there was a response.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the backend's own error type (for Prometheus: <c>bad_data</c>, <c>execution</c>, <c>timeout</c>, …).</summary>
    public string? ErrorType { get; }

    /// <summary>Gets the message of the backend or transport, without the query.</summary>
    public string? BackendMessage { get; }

    /// <summary>Gets the warnings that came with the error.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Gets how long the backend asked the caller to wait before the next request, when it said so
    /// (<see cref="MetricQueryErrorKind.RateLimited"/> with Datadog's <c>X-RateLimit-Reset</c>, for example).
    /// </summary>
    /// <value>The default value is null (the backend gave no delay).</value>
    public TimeSpan? RetryAfter { get; init; }

    private static string Describe(string query, MetricQueryErrorKind kind, string message, int? statusCode, string? errorType)
    {
        var status = statusCode is { } code ? $" (HTTP {code})" : string.Empty;
        var type = string.IsNullOrEmpty(errorType) ? string.Empty : $" {errorType}:";
        return $"Query failed: {kind}{status}:{type} {message} — query: {query}";
    }
}
