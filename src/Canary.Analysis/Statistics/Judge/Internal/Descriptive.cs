namespace Canary.Analysis.Statistics.Judge.Internal;

/// <summary>Descriptive statistics as Kayenta's judge computes them (<c>stats/DescriptiveStatistics.scala</c>).</summary>
internal static class Descriptive
{
    /// <summary>The mean; 0 for an empty series, as Kayenta.</summary>
    internal static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    /// <summary>The sample standard deviation; 0 for fewer than two values.</summary>
    internal static double SampleStandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.Length < 2)
        {
            return 0;
        }

        double mean = Mean(values);
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / (values.Length - 1));
    }

    /// <summary>R's type-7 quantile of sorted values at <paramref name="percent"/> in [0, 100].</summary>
    internal static double PercentileR7(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        double h = (sorted.Length - 1) * (percent / 100.0);
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo]));
    }

    /// <summary>Kayenta's mean ratio: canary mean / baseline mean, NaN when either mean is 0.</summary>
    internal static double MeanRatio(double canaryMean, double baselineMean) =>
        canaryMean == 0 || baselineMean == 0 ? double.NaN : canaryMean / baselineMean;
}
