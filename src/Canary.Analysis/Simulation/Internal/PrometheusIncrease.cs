namespace Canary.Analysis.Simulation.Internal;

/// <summary>
/// Prometheus' <c>increase()</c> of one counter series over a range, as its <c>extrapolatedRate</c> computes it (Prometheus 3):
/// the samples inside the range, resets followed, extrapolated toward the range's edges when the first and last samples lie
/// within 1.1 average sample intervals of them (else by half an interval), never below the counter's zero point.
/// </summary>
internal static class PrometheusIncrease
{
    /// <summary>The increase, or NaN when fewer than two samples lie in the range (Prometheus then returns no element).</summary>
    /// <param name="times">Sample times in seconds, increasing, all within (rangeStart, rangeEnd].</param>
    /// <param name="values">The counter's values at those times.</param>
    /// <param name="rangeStart">The range's start in seconds (exclusive).</param>
    /// <param name="rangeEnd">The range's end in seconds (the evaluation time).</param>
    public static double Of(ReadOnlySpan<double> times, ReadOnlySpan<double> values, double rangeStart, double rangeEnd)
    {
        var n = times.Length;
        if (n < 2)
        {
            return double.NaN;
        }

        var result = values[n - 1] - values[0];
        var last = 0d;
        foreach (var value in values)
        {
            if (value < last)
            {
                result += last;
            }

            last = value;
        }

        var durationToStart = times[0] - rangeStart;
        var durationToEnd = rangeEnd - times[n - 1];
        var sampled = times[n - 1] - times[0];
        var average = sampled / (n - 1);
        var threshold = average * 1.1;
        if (durationToStart >= threshold)
        {
            durationToStart = average / 2;
        }

        if (result > 0 && values[0] >= 0)
        {
            var durationToZero = sampled * (values[0] / result);
            if (durationToZero < durationToStart)
            {
                durationToStart = durationToZero;
            }
        }

        if (durationToEnd >= threshold)
        {
            durationToEnd = average / 2;
        }

        return result * ((sampled + durationToStart + durationToEnd) / sampled);
    }
}
