namespace Canary.Analysis.Traffic;

/// <summary>How a source turns cumulative request counters into the requests of a window.</summary>
public enum TrafficCounting
{
    /// <summary>
    /// As Prometheus' <c>increase()</c> over the window: from the samples inside the window, extrapolated to its edges, so
    /// counts may be fractional, and the increments between the last sample of one window and the first of the next
    /// belong to neither. Fine for a rate judged once per window; wrong for a test that adds windows up.
    /// </summary>
    Increase,

    /// <summary>
    /// The exact difference of the counters between the window's two ends: per series, from its last sample at or before
    /// the window's start to its last sample at or before its end, a drop counted as a restart from 0 (as Prometheus
    /// follows resets), a series that appeared inside the window counted from 0. Whole numbers, nothing extrapolated, and
    /// consecutive windows tile: every increment is counted once, in the window its scrape falls in. Sources that keep
    /// counter samples themselves (scrapes, a prometheus-net registry, the simulation) always count this way; the
    /// Prometheus source reads raw samples for it (see <see cref="PrometheusTrafficSource"/>).
    /// </summary>
    CounterDifference,
}
