namespace Canary.Analysis.Metrics.Prometheus.Internal;

/// <summary>The exact increase of one counter series between two instants, from its raw samples.</summary>
internal static class CounterDifference
{
    /// <summary>
    /// The increase from the last sample at or before <paramref name="start"/> to the last sample (the samples are those of
    /// a range selector ending at the window's end, in time order): each rise is added, a drop is a restart from 0 (the new
    /// value is added, as Prometheus' <c>increase()</c> follows resets), and a series with no sample at or before the start
    /// appeared inside the window and counts from 0. NaN when a sample used is not a valid count.
    /// </summary>
    /// <param name="samples">The series' samples in time order.</param>
    /// <param name="start">The window's start (exclusive).</param>
    /// <param name="resets">How many drops (restarts) were followed.</param>
    /// <returns>The increase, a whole number when the counter counts whole events.</returns>
    public static double Since(IReadOnlyList<MetricSample> samples, DateTimeOffset start, out int resets)
    {
        resets = 0;
        var first = 0;
        while (first < samples.Count && samples[first].Timestamp <= start)
        {
            first++;
        }

        // first is the index of the first sample inside the window; first - 1 (when ≥ 0) is the boundary sample.
        var previous = first > 0 ? samples[first - 1].Value : 0d;
        if (first < samples.Count && !IsCount(previous))
        {
            return double.NaN;
        }

        var increase = 0d;
        for (var i = first; i < samples.Count; i++)
        {
            var value = samples[i].Value;
            if (!IsCount(value))
            {
                return double.NaN;
            }

            if (value >= previous)
            {
                increase += value - previous;
            }
            else
            {
                resets++;
                increase += value;
            }

            previous = value;
        }

        return increase;
    }

    private static bool IsCount(double value) => value is >= 0 and < 9_007_199_254_740_992d;
}
