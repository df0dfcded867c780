namespace Canary.Analysis.Traffic;

/// <summary>What traffic to read: which series (a selector, e.g. the canary's pods) over which window ending when.</summary>
/// <param name="selector">Selects the version's series, e.g. <c>version="canary"</c>.</param>
/// <param name="end">The end of the window (the evaluation time).</param>
/// <param name="window">The length of the window; positive, any precision (a real clock's "time since the last look" has ticks).</param>
/// <exception cref="ArgumentNullException"><paramref name="selector"/> is null.</exception>
/// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
/// <remarks>
/// Sources with a coarser resolution align the window to it; <see cref="PrometheusTrafficSource"/> reads
/// (⌊start⌋, ⌊end⌋] on Prometheus' millisecond grid, so consecutive windows still tile with no gap and no overlap.
/// </remarks>
public sealed class TrafficQuery(LabelSelector selector, DateTimeOffset end, TimeSpan window)
{
    /// <summary>Gets the selector of the version's series.</summary>
    public LabelSelector Selector { get; } = selector ?? throw new ArgumentNullException(nameof(selector));

    /// <summary>Gets the end of the window.</summary>
    public DateTimeOffset End { get; } = end;

    /// <summary>Gets the length of the window.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");

    /// <summary>
    /// Gets a value indicating whether to read per-endpoint latency histograms as well (sources that read
    /// Prometheus then send one more grouped query for the buckets and one for the sums).
    /// </summary>
    /// <value>The default value is false: request counts only, one query.</value>
    public bool IncludeLatency { get; init; }

    /// <summary>Gets the start of the window.</summary>
    public DateTimeOffset Start => End - Window;

    /// <inheritdoc />
    public override string ToString() => $"{{{Selector}}} over {Window} ending {End:O}";
}
