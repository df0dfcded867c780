namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// The judge configuration of one metric, as Kayenta's <c>analysisConfigurations.canary</c> block of a canary config
/// metric plus its name and groups. Every default is Kayenta's.
/// </summary>
public sealed class MetricConfig
{
    /// <summary>Gets the metric name, used in reasons.</summary>
    /// <value>The default value is the empty string.</value>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets the groups the metric counts in; a metric counts in every group it lists.</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Gets which deviations count against the canary.</summary>
    /// <value>The default value is <see cref="MetricDirection.Either"/>.</value>
    public MetricDirection Direction { get; init; } = MetricDirection.Either;

    /// <summary>Gets how NaN values are handled.</summary>
    /// <value>The default value is <see cref="NanStrategy.Remove"/>.</value>
    public NanStrategy NanStrategy { get; init; } = NanStrategy.Remove;

    /// <summary>Gets whether IQR outliers are removed.</summary>
    /// <value>The default value is <see cref="OutlierStrategy.Keep"/>.</value>
    public OutlierStrategy OutlierStrategy { get; init; } = OutlierStrategy.Keep;

    /// <summary>Gets the IQR multiplier k of the outlier fences (Kayenta's <c>outliers.outlierFactor</c>).</summary>
    /// <value>The default value is 3.0.</value>
    public double OutlierFactor { get; init; } = 3.0;

    /// <summary>Gets the effect size measure that gates High and Low.</summary>
    /// <value>The default value is <see cref="EffectSizeMeasure.MeanRatio"/>.</value>
    public EffectSizeMeasure EffectSizeMeasure { get; init; } = EffectSizeMeasure.MeanRatio;

    /// <summary>Gets the effect size a High needs to reach (Kayenta's <c>effectSize.allowedIncrease</c>).</summary>
    /// <value>The default value is <see langword="null"/>: 1.0 for the mean ratio, 0.5 for CLES.</value>
    public double? AllowedIncrease { get; init; }

    /// <summary>Gets the effect size a Low needs to reach, at most (Kayenta's <c>effectSize.allowedDecrease</c>).</summary>
    /// <value>The default value is <see langword="null"/>: 1.0 for the mean ratio, 0.5 for CLES.</value>
    public double? AllowedDecrease { get; init; }

    /// <summary>Gets the effect size a High of a critical metric needs to be critical (Kayenta's <c>effectSize.criticalIncrease</c>).</summary>
    /// <value>The default value is <see langword="null"/>: 1.0 for the mean ratio, 0.5 for CLES.</value>
    public double? CriticalIncrease { get; init; }

    /// <summary>Gets the effect size a Low of a critical metric needs to be critical, at most (Kayenta's <c>effectSize.criticalDecrease</c>).</summary>
    /// <value>The default value is <see langword="null"/>: 1.0 for the mean ratio, 0.5 for CLES.</value>
    public double? CriticalDecrease { get; init; }

    /// <summary>Gets whether a failure of this metric fails the whole canary (score 0).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Critical { get; init; }

    /// <summary>
    /// Gets whether missing data fails the metric (<see cref="MetricClassification.NoDataFail"/>). As in Kayenta, it only
    /// applies to non-critical metrics under <see cref="NanStrategy.Remove"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool MustHaveData { get; init; }

    /// <summary>Gets whether the metric is muted: classified and reported, but left out of the score.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Muted { get; init; }

    /// <summary>Gets the default of the effect size thresholds for <see cref="EffectSizeMeasure"/>: 0.5 for CLES, else 1.0.</summary>
    internal double DefaultEffect => EffectSizeMeasure == EffectSizeMeasure.Cles ? 0.5 : 1.0;
}
