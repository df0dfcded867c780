namespace Canary.Analysis.Statistics.Judge.Internal;

/// <summary>Kayenta's IQR outlier detector (<c>detectors/IQRDetector.scala</c>) with R-7 quantiles.</summary>
internal static class IqrDetector
{
    /// <summary>Returns, per value, whether it is an outlier.</summary>
    /// <param name="values">The values (no NaN).</param>
    /// <param name="factor">The IQR multiplier k.</param>
    /// <param name="reduceSensitivity">Whether the fences are widened to the 1st and 99th percentiles, as the judge does.</param>
    internal static bool[] Detect(ReadOnlySpan<double> values, double factor, bool reduceSensitivity)
    {
        var flags = new bool[values.Length];
        if (values.IsEmpty)
        {
            return flags;
        }

        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        double q1 = Descriptive.PercentileR7(sorted, 25);
        double q3 = Descriptive.PercentileR7(sorted, 75);
        double iqr = q3 - q1;
        double lower = q1 - (factor * iqr);
        double upper = q3 + (factor * iqr);
        if (reduceSensitivity)
        {
            lower = Math.Min(Descriptive.PercentileR7(sorted, 1), lower);
            upper = Math.Max(Descriptive.PercentileR7(sorted, 99), upper);
        }

        for (int i = 0; i < values.Length; i++)
        {
            flags[i] = values[i] > upper || values[i] < lower;
        }

        return flags;
    }

    /// <summary>Returns the values that are not outliers, in their order.</summary>
    internal static double[] Remove(ReadOnlySpan<double> values, double factor, bool reduceSensitivity)
    {
        bool[] flags = Detect(values, factor, reduceSensitivity);
        var kept = new List<double>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            if (!flags[i])
            {
                kept.Add(values[i]);
            }
        }

        return kept.ToArray();
    }
}
