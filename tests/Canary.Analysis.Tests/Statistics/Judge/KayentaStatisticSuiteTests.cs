using Canary.Analysis.Statistics.Judge;
using Canary.Analysis.Statistics.Judge.Internal;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>Kayenta's <c>StatisticSuite</c>, <c>DetectorSuite</c> and <c>TransformSuite</c> (kayenta.md §5.4), where they apply.</summary>
public sealed class KayentaStatisticSuiteTests
{
    [Fact]
    public void StatisticSuite_Summary()
    {
        Assert.Equal(4.0, Descriptive.Mean([4.0]));
        Assert.Equal(0.0, Descriptive.SampleStandardDeviation([4.0]));
        Assert.Equal(5.5, Descriptive.Mean([1, 1, 1, 10, 10, 10]));
        Assert.Equal(4.9295, Descriptive.SampleStandardDeviation([1, 1, 1, 10, 10, 10]), 1e-4);
        Assert.Equal(0.0, Descriptive.Mean([]));
        Assert.Equal(0.0, Descriptive.SampleStandardDeviation([]));
    }

    [Fact]
    public void StatisticSuite_PercentilesR7()
    {
        double[] halves = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5];
        Assert.Equal(0.175, Descriptive.PercentileR7(halves, 5), 1e-12);
        Assert.Equal(1.75, Descriptive.PercentileR7(halves, 50), 1e-12);
        Assert.Equal(3.5, Descriptive.PercentileR7(halves, 100), 1e-12);
        Assert.Equal(4.5, Descriptive.PercentileR7([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 50), 1e-12);
    }

    [Fact]
    public void StatisticSuite_MeanRatio()
    {
        Assert.Equal(10.0, Descriptive.MeanRatio(10, 1));
        Assert.Equal(0.1, Descriptive.MeanRatio(10, 100));
        Assert.True(double.IsNaN(Descriptive.MeanRatio(10, 0)));
    }

    private static double Cles(double[] canary, double[] baseline) =>
        MetricClassifier.Classify(new MetricConfig { Name = "m", EffectSizeMeasure = EffectSizeMeasure.Cles }, canary, baseline).EffectSize;

    [Fact]
    public void StatisticSuite_Cles()
    {
        Assert.Equal(0.5, Cles([1, 2, 3], [3, 2, 1]));
        Assert.Equal(0.0, Cles([1, 2, 3], [10, 20, 30]));
        Assert.Equal(1.0, Cles([10, 20, 30], [1, 2, 3]));
        Assert.Equal(0.5, Cles([1, 2], [1, 2, 1, 2]));
    }

    [Fact]
    public void DetectorSuite_Iqr()
    {
        Assert.Equal([false, false, false, false, true, false, false, false], IqrDetector.Detect([21, 23, 24, 25, 50, 29, 23, 21], 1.5, reduceSensitivity: false));
        Assert.Equal([false, false, false, true, false, false, false, true], IqrDetector.Detect([1, 1, 1, 5, -1, -1, -1, -5], 1.5, reduceSensitivity: false));
        Assert.Equal([false, false, false, false, true, false, false, false], IqrDetector.Detect([21, 23, 24, 25, 50, 29, 23, 21], 1.5, reduceSensitivity: true));
        Assert.Empty(IqrDetector.Detect([], 1.5, reduceSensitivity: true));
    }

    [Fact]
    public void TransformSuite_RemoveNaNsAndOutliers()
    {
        MetricResult nan = MetricClassifier.Classify(new MetricConfig { Name = "m" }, [0, 1, double.NaN, 1, 0], [1.0, 2.0]);
        Assert.Equal(4, nan.CanaryCount);
        Assert.Equal(0.5, nan.CanaryMean);

        MetricResult iqr = MetricClassifier.Classify(new MetricConfig { Name = "m", OutlierStrategy = OutlierStrategy.Remove, OutlierFactor = 1.5 }, [21, 23, 24, 25, 50, 29, 23, 21], [21, 23, 24, 25, 29, 23, 21]);
        Assert.Equal(7, iqr.CanaryCount);
        Assert.Equal(166.0 / 7, iqr.CanaryMean, 12);

        // Each side is cleaned separately: with the judge's reduced sensitivity the baseline's 29 lies above max(p99, Q3 + 1.5 IQR).
        Assert.Equal(6, iqr.BaselineCount);
    }
}
