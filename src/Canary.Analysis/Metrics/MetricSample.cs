namespace Canary.Analysis.Metrics;

/// <summary>One timestamped value of a series.</summary>
/// <remarks>Values may be <see cref="double.NaN"/> or infinite: Prometheus returns them and callers must decide what they mean.</remarks>
public readonly record struct MetricSample
{
    /// <summary>Creates a sample.</summary>
    /// <param name="timestamp">When the value was evaluated.</param>
    /// <param name="value">The value; NaN and ±∞ are kept as they are.</param>
    public MetricSample(DateTimeOffset timestamp, double value)
    {
        Timestamp = timestamp;
        Value = value;
    }

    /// <summary>Gets when the value was evaluated.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the value (may be NaN or ±∞).</summary>
    public double Value { get; }
}
