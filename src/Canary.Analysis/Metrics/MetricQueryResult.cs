namespace Canary.Analysis.Metrics;

/// <summary>The result of one query: its shape, its series and the warnings the server attached to it.</summary>
public sealed class MetricQueryResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="query">The query that produced the result.</param>
    /// <param name="resultType">The shape of the result.</param>
    /// <param name="series">The series; a scalar is one series without labels and a single sample.</param>
    /// <param name="warnings">Warnings the server returned with a successful response.</param>
    /// <param name="stringValue">The value of a <see cref="MetricResultType.String"/> result.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public MetricQueryResult(
        string query,
        MetricResultType resultType,
        IReadOnlyList<MetricSeries> series,
        IReadOnlyList<string>? warnings = null,
        string? stringValue = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(series);
        Query = query;
        ResultType = resultType;
        Series = series;
        Warnings = warnings ?? [];
        StringValue = stringValue;
    }

    /// <summary>Gets the query that produced the result.</summary>
    public string Query { get; }

    /// <summary>Gets the shape of the result.</summary>
    public MetricResultType ResultType { get; }

    /// <summary>Gets the series. Empty when nothing matched; one unlabelled series for a scalar.</summary>
    public IReadOnlyList<MetricSeries> Series { get; }

    /// <summary>Gets the warnings the server attached to a successful response (for example a partial response).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Gets the informational notes among <see cref="Warnings"/> (Prometheus' <c>infos</c>, such as "metric might not be a
    /// counter"): they are also in <see cref="Warnings"/>, but unlike the other warnings they do not mean the data is partial.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Infos { get; init; } = [];

    /// <summary>Gets the value of a <see cref="MetricResultType.String"/> result, otherwise null.</summary>
    public string? StringValue { get; }

    /// <summary>Gets a value indicating whether the result holds no sample at all.</summary>
    public bool IsEmpty => Series.Count == 0 || Series.All(s => s.Samples.Count == 0);
}
