namespace Canary.Analysis.Metrics.Scrape.Internal;

/// <summary>One scrape of one target: when, and either the relevant series' values or the error.</summary>
internal sealed class ScrapeRecord(DateTimeOffset time, IReadOnlyDictionary<SeriesKey, double>? values, string? error)
{
    public DateTimeOffset Time { get; } = time;

    /// <summary>Gets the values of the series the convention reads, or null when the scrape failed.</summary>
    public IReadOnlyDictionary<SeriesKey, double>? Values { get; } = values;

    public string? Error { get; } = error;
}
