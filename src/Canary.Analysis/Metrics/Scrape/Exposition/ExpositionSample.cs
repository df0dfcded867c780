namespace Canary.Analysis.Metrics.Scrape.Exposition;

/// <summary>One sample line: a series name, its labels in the order written, a value and an optional timestamp.</summary>
internal sealed class ExpositionSample(string name, KeyValuePair<string, string>[] labels, double value, double? timestampSeconds)
{
    /// <summary>Gets the series name (for example <c>http_requests_total</c> or <c>x_bucket</c>).</summary>
    public string Name { get; } = name;

    /// <summary>Gets the labels, unescaped, in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

    /// <summary>Gets the value (NaN and ±Inf allowed).</summary>
    public double Value { get; } = value;

    /// <summary>Gets the timestamp in Unix seconds (0.0.4 milliseconds divided by 1000), or null.</summary>
    public double? TimestampSeconds { get; } = timestampSeconds;
}
