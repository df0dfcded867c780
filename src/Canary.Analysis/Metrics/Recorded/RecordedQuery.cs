namespace Canary.Analysis.Metrics.Recorded;

/// <summary>One recorded Prometheus HTTP API response and the instant query that produced it.</summary>
public sealed class RecordedQuery
{
    /// <summary>Creates a recording.</summary>
    /// <param name="query">The query text, matched exactly.</param>
    /// <param name="time">The evaluation time, or null to answer the query at any time.</param>
    /// <param name="responseJson">The response body as Prometheus returned it (success or error).</param>
    /// <exception cref="ArgumentException">The query or the response is empty.</exception>
    public RecordedQuery(string query, DateTimeOffset? time, string responseJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(query);
        ArgumentException.ThrowIfNullOrEmpty(responseJson);
        Query = query;
        Time = time;
        ResponseJson = responseJson;
    }

    /// <summary>Gets the query text.</summary>
    public string Query { get; }

    /// <summary>Gets the evaluation time, or null when the recording answers at any time.</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Gets the response body as Prometheus returned it.</summary>
    public string ResponseJson { get; }
}
