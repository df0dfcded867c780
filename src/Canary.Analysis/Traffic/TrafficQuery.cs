namespace Canary.Analysis.Traffic;

/// <summary>What traffic to read: which series (a selector, e.g. the canary's pods) over which window ending when.</summary>
public sealed class TrafficQuery
{
    /// <summary>Creates a query.</summary>
    /// <param name="selector">Selects the version's series, e.g. <c>version="canary"</c>.</param>
    /// <param name="end">The end of the window (the evaluation time).</param>
    /// <param name="window">The length of the window; positive, any precision (a real clock's "time since the last look" has ticks).</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not positive.</exception>
    /// <remarks>
    /// Sources with a coarser resolution align the window to it; <see cref="PrometheusTrafficSource"/> reads
    /// (⌊start⌋, ⌊end⌋] on Prometheus' millisecond grid, so consecutive windows still tile with no gap and no overlap.
    /// </remarks>
    public TrafficQuery(LabelSelector selector, DateTimeOffset end, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be positive.");
        }

        Selector = selector;
        End = end;
        Window = window;
    }

    /// <summary>Gets the selector of the version's series.</summary>
    public LabelSelector Selector { get; }

    /// <summary>Gets the end of the window.</summary>
    public DateTimeOffset End { get; }

    /// <summary>Gets the length of the window.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Gets a value indicating whether to read per-endpoint latency histograms as well (sources that read
    /// Prometheus then send one more grouped query for the buckets and one for the sums).
    /// </summary>
    /// <value>The default value is false: request counts only, one query.</value>
    public bool IncludeLatency { get; init; }

    /// <summary>Gets how counters become the window's counts (sources that keep counter samples themselves always give exact differences).</summary>
    /// <value>The default value is <see cref="TrafficCounting.Increase"/>, Prometheus' <c>increase()</c>.</value>
    public TrafficCounting Counting { get; init; }

    /// <summary>Gets the start of the window.</summary>
    public DateTimeOffset Start => End - Window;

    /// <inheritdoc />
    public override string ToString() => $"{{{Selector}}} over {Window} ending {End:O}";
}
