using Canary.Analysis.Statistics.Judge;

namespace Canary.Analysis.Tests.Statistics.Judge;

/// <summary>
/// Kayenta's <c>ClassifierSuite.scala</c> (kayenta.md §5.2): <c>MannWhitneyClassifier(tolerance = 0.10, confLevel = 0.95)</c>
/// unless stated; effect tuples are (decrease, increase).
/// </summary>
public sealed class KayentaClassifierSuiteTests
{
    private static readonly JudgeOptions SuiteOptions = new() { Tolerance = 0.10, ConfidenceLevel = 0.95 };

    private static readonly double[] HighExperiment = [20.0, 22.0, 21.0, 25.0, 30.0];
    private static readonly double[] HighControl = [1.0, 2.2, 1.1, 2.5, 3.0];

    private static MetricResult Classify(double[] experiment, double[] control, MetricConfig? metric = null, JudgeOptions? options = null) =>
        MetricClassifier.Classify(metric ?? new MetricConfig { Name = "m" }, experiment, control, options ?? SuiteOptions);

    [Fact]
    public void ClassifierSuite_1_MeanRatioHigh()
    {
        MetricResult r = Classify(HighExperiment, HighControl, new MetricConfig { Name = "m", AllowedDecrease = 0.8, AllowedIncrease = 1.2 });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.False(r.IsCritical);

        // kayenta.md §5.6: (17.80004385, 27.79994325, 20, 12.04081633).
        Assert.Equal(17.80004385, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(27.79994325, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(20, r.Estimate, 1e-4);
        Assert.Equal(12.04081633, r.MeanRatio, 1e-6);
        Assert.Equal(5, r.CanaryCount);
        Assert.Equal(5, r.BaselineCount);
        Assert.InRange(r.PValue, 0, 0.05);
    }

    [Fact]
    public void ClassifierSuite_2_PassWithRemove()
    {
        MetricResult r = Classify([10.0, 12.2, 10.1, 12.5, 23.0], [20.0, 22.0, 21.0, 25.0, 30.0], new MetricConfig { Name = "m", AllowedDecrease = 0.5, AllowedIncrease = 1.0, NanStrategy = NanStrategy.Remove });
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.Equal(-17.79996165, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(0.9999477986, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(-10.7812202, r.Estimate, 1e-4);
        Assert.Equal(0.5745762712, r.MeanRatio, 1e-9);
    }

    [Fact]
    public void ClassifierSuite_3_CriticalHigh()
    {
        MetricResult r = Classify(HighExperiment, HighControl, new MetricConfig { Name = "m", CriticalDecrease = 1.0, CriticalIncrease = 1.2, Critical = true });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.True(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_4_CriticalLow()
    {
        MetricResult r = Classify([2.0, 2.0, 2.0, 2.0, 3.0], [10.0, 20.2, 10.1, 20.5, 30.0], new MetricConfig { Name = "m", CriticalDecrease = 1.2, CriticalIncrease = 1.0, Critical = true });
        Assert.Equal(MetricClassification.Low, r.Classification);
        Assert.True(r.IsCritical);
        Assert.Equal(-27.99994206, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(-7.999954026, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(-18.07509957, r.Estimate, 1e-4);
        Assert.Equal(0.1211453744, r.MeanRatio, 1e-9);
    }

    [Fact]
    public void ClassifierSuite_5_HighBelowTheCriticalThresholdIsNotCritical()
    {
        MetricResult r = Classify(HighExperiment, HighControl, new MetricConfig { Name = "m", AllowedDecrease = 1.0, AllowedIncrease = 5.0, CriticalDecrease = 1.0, CriticalIncrease = 13.0, Critical = true });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.False(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_6_EffectSizeBelowAllowedIncreasePasses()
    {
        MetricResult r = Classify(HighExperiment, HighControl, new MetricConfig { Name = "m", AllowedDecrease = 1.0, AllowedIncrease = 13.0, CriticalDecrease = 1.0, CriticalIncrease = 15.0, Critical = true });
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.False(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_7_CriticalHighWithDefaultThresholds()
    {
        MetricResult r = Classify(HighExperiment, HighControl, new MetricConfig { Name = "m", Critical = true });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.True(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_8_OneValueOverallPasses() =>
        Assert.Equal(MetricClassification.Pass, Classify([1.0, 1.0, 1.0], [1.0, 1.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease }).Classification);

    [Fact]
    public void ClassifierSuite_9_IdenticalDataPasses()
    {
        MetricResult r = Classify([1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease });
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.Contains("identical", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifierSuite_10_OneLowerValuePasses() =>
        Assert.Equal(MetricClassification.Pass, Classify([0.0, 1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease }).Classification);

    [Fact]
    public void ClassifierSuite_11_EmptyExperimentIsNoData()
    {
        MetricResult r = Classify([], [1.0, 2.0, 3.0, 4.0, 5.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease });
        Assert.Equal(MetricClassification.NoData, r.Classification);
        Assert.False(r.IsCritical);
        Assert.Equal("Missing data for m", r.Reason);
    }

    [Fact]
    public void ClassifierSuite_12_EmptyCriticalIsCriticalNoData()
    {
        MetricResult r = Classify([], [1.0, 2.0, 3.0, 4.0, 5.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease, Critical = true });
        Assert.Equal(MetricClassification.NoData, r.Classification);
        Assert.True(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_13_EmptyWithReplacePasses() =>
        Assert.Equal(MetricClassification.Pass, Classify([], [1.0, 2.0, 3.0, 4.0, 5.0], new MetricConfig { Name = "m", Direction = MetricDirection.Decrease, NanStrategy = NanStrategy.Replace }).Classification);

    [Fact]
    public void ClassifierSuite_14_BothEmptyCriticalHasAReason()
    {
        MetricResult r = Classify([], [], new MetricConfig { Name = "m", Critical = true });
        Assert.False(string.IsNullOrEmpty(r.Reason));
        Assert.Equal(MetricClassification.NoData, r.Classification);
    }

    [Fact]
    public void ClassifierSuite_15_ZeroEstimatePasses()
    {
        MetricResult r = Classify([1.0, 1.0, 1.0, 1.0, 10.0], [1.0, 1.0, 1.0, 1.0, 1.0]);
        Assert.Equal(MetricClassification.Pass, r.Classification);

        // kayenta.md §5.6: (0, 8.999933373, 0, 2.8): HL = 0 so the strict bound test fails.
        Assert.Equal(0, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(8.999933373, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(0, r.Estimate, 1e-4);
        Assert.Equal(2.8, r.MeanRatio, 1e-12);
    }

    [Fact]
    public void ClassifierSuite_16_ConstantSeriesAreHigh_WithoutNoise()
    {
        MetricResult r = Classify([10.0, 10.0, 10.0, 10.0, 10.0], [1.0, 1.0, 1.0, 1.0, 1.0]);
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.Equal(9.0, r.Estimate);
        Assert.Equal(9.0, r.ConfidenceInterval.Lower);
        Assert.Equal(9.0, r.ConfidenceInterval.Upper);
        Assert.Equal(r.ToString(), Classify([10.0, 10.0, 10.0, 10.0, 10.0], [1.0, 1.0, 1.0, 1.0, 1.0]).ToString());
    }

    [Fact]
    public void ClassifierSuite_17_ConstantAgainstZeroIsHigh() =>
        Assert.Equal(MetricClassification.High, Classify([10.0, 10.0, 10.0, 10.0, 10.0], [0.0, 0.0, 0.0, 0.0, 0.0]).Classification);

    [Fact]
    public void ClassifierSuite_18_HighAgainstAZeroBaseline_DeviationNaN()
    {
        MetricResult r = Classify([54.9, 54.5, 55.1, 55.6, 57.4], [0.0, 0.0, 0.0, 0.0, 0.0], new MetricConfig { Name = "m", AllowedDecrease = 0.8, AllowedIncrease = 1.2 });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.True(double.IsNaN(r.MeanRatio));
    }

    [Fact]
    public void ClassifierSuite_19_LowAgainstAZeroCanary_DeviationNaN()
    {
        MetricResult r = Classify([0.0, 0.0, 0.0, 0.0, 0.0], [54.9, 54.5, 55.1, 55.6, 57.4], new MetricConfig { Name = "m", AllowedDecrease = 0.8, AllowedIncrease = 1.2 });
        Assert.Equal(MetricClassification.Low, r.Classification);
        Assert.True(double.IsNaN(r.MeanRatio));
    }

    [Fact]
    public void ClassifierSuite_20_CriticalHighWithReplaceAgainstZeros()
    {
        double[] experiment =
        [
            0.05000000074505806, 0.05000000074505806, 0.01666666753590107, 0.01666666753590107, 0.01666666753590107,
            0.05000000074505806, 0.03333333507180214, 0.05000000260770321, 0.05000000260770321, 0.13333333656191826,
        ];
        MetricResult r = Classify(experiment, new double[10], new MetricConfig { Name = "m", CriticalDecrease = 0.8, CriticalIncrease = 1.2, NanStrategy = NanStrategy.Replace, Critical = true });
        Assert.Equal(MetricClassification.High, r.Classification);
        Assert.True(r.IsCritical);
    }

    [Fact]
    public void ClassifierSuite_21_AllZerosPass_DeviationOne()
    {
        MetricResult r = Classify(new double[5], new double[5], new MetricConfig { Name = "m", AllowedDecrease = 0.8, AllowedIncrease = 1.2 });
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.Equal(1.0, r.MeanRatio);
    }

    [Fact]
    public void Issue426_SparseCanaryAgainstAllZeroBaselinePasses_WithJudgeDefaults()
    {
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "errors" }, [0.0, 1.0, 2.0, 1.0, 0.0, 0.0], new double[6]);
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.Equal(0, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(2, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(0.8127337922, r.Estimate, 1e-4);
        Assert.True(double.IsNaN(r.MeanRatio));
    }

    [Fact]
    public void Spinnaker6278_SevenOfTenPointsAt100TimesPass_EightAreHigh()
    {
        var metric = new MetricConfig { Name = "latency", AllowedDecrease = 1.0, AllowedIncrease = 1.05 };
        double[] baseline = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        MetricResult seven = MetricClassifier.Classify(metric, [100, 100, 100, 100, 100, 100, 100, 1, 1, 1], baseline);
        Assert.Equal(MetricClassification.Pass, seven.Classification);
        Assert.Equal(6.825022992e-05, seven.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(99, seven.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(98.99992904, seven.Estimate, 1e-4);
        Assert.Equal(70.3, seven.MeanRatio, 1e-9);

        MetricResult eight = MetricClassifier.Classify(metric, [100, 100, 100, 100, 100, 100, 100, 100, 1, 1], baseline);
        Assert.Equal(MetricClassification.High, eight.Classification);
    }

    [Fact]
    public void Issue780_VarianceIncreasePasses()
    {
        double[] experiment = [10.0, 10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 17.0, 17.1, 17.2, 17.3, 17.4, 17.5, 17.6, 17.7];
        double[] control = [1.0, 100.0, 4.0, 101.0, 5.0, 102.0, 6.0, 103.0, 7.0, 104.0, 8.0, 105.0, 9.0, 106.0, 17.0];
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "latency" }, experiment, control);
        Assert.Equal(MetricClassification.Pass, r.Classification);
        Assert.Equal(-88.39996475, r.ConfidenceInterval.Lower, 1e-4);
        Assert.Equal(8.699979276, r.ConfidenceInterval.Upper, 1e-4);
        Assert.Equal(-1.777243908, r.Estimate, 1e-4);
        Assert.Equal(0.2710796915, r.MeanRatio, 1e-9);
    }

    [Fact]
    public void MustHaveData_NonCriticalEmptyIsNoDataFail()
    {
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "m", MustHaveData = true }, [], [1.0]);
        Assert.Equal(MetricClassification.NoDataFail, r.Classification);
        Assert.False(r.IsCritical);
    }

    [Fact]
    public void MustHaveData_CriticalEmptyIsCriticalNoData()
    {
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "m", MustHaveData = true, Critical = true }, [], [1.0]);
        Assert.Equal(MetricClassification.NoData, r.Classification);
        Assert.True(r.IsCritical);
    }

    [Fact]
    public void MustHaveData_UnderReplaceStillPasses_AsKayenta() =>
        Assert.Equal(MetricClassification.Pass, MetricClassifier.Classify(new MetricConfig { Name = "m", MustHaveData = true, NanStrategy = NanStrategy.Replace }, [], [1.0]).Classification);

    [Fact]
    public void NanReplace_TurnsNaNIntoZeros()
    {
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "m", NanStrategy = NanStrategy.Replace }, [double.NaN, 10.1, 20.2], [1.0, 2.0]);
        Assert.Equal(3, r.CanaryCount);
        Assert.Equal(10.1, r.CanaryMean, 12);
    }

    [Fact]
    public void InfiniteValues_AreAnError_NotCritical()
    {
        MetricResult r = MetricClassifier.Classify(new MetricConfig { Name = "m", Critical = true }, [1.0, double.PositiveInfinity], [1.0, 2.0]);
        Assert.Equal(MetricClassification.Error, r.Classification);
        Assert.False(r.IsCritical);
        Assert.StartsWith("Metric Classification Failed", r.Reason, StringComparison.Ordinal);
    }
}
