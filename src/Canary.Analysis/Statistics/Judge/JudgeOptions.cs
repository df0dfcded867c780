namespace Canary.Analysis.Statistics.Judge;

/// <summary>
/// Options of <see cref="MetricClassifier"/>. The defaults reproduce Kayenta's NetflixACAJudge; every other setting is an
/// improvement documented against Kayenta's behaviour.
/// </summary>
public sealed class JudgeOptions
{
    /// <summary>
    /// Gets the tolerance t: a High needs CI.lower &gt; t·|HL| and a Low CI.upper &lt; −t·|HL|. Kayenta hard-codes 0.25
    /// (its <c>tolerance</c> setting has been ignored since #356); here it is configurable, in [0, 1].
    /// </summary>
    /// <value>The default value is 0.25.</value>
    public double Tolerance { get; init; } = 0.25;

    /// <summary>
    /// Gets the two-sided confidence level of the Mann–Whitney interval. Kayenta hard-codes 0.98; here it is configurable,
    /// strictly between 0 and 1.
    /// </summary>
    /// <value>The default value is 0.98.</value>
    public double ConfidenceLevel { get; init; } = 0.98;

    /// <summary>
    /// Gets the minimum number of values per side (after NaN and outlier handling) below which a metric with data is
    /// <see cref="MetricClassification.Inconclusive"/> instead of being compared. Kayenta has no minimum (its orchestrator
    /// only warns below 50 points) and passes a canary with 3 values; 0 turns the gate off.
    /// </summary>
    /// <value>The default value is 0 (Kayenta's behaviour).</value>
    public int MinimumSampleSize { get; init; }

    /// <summary>
    /// Gets the magnitude gate g: a High or Low also needs |HL| ≥ g·|baseline mean|, so a shift that is tiny relative to the
    /// baseline level is a Pass. In Kayenta the ±25 % bounds are relative to the HL estimate itself, so a 0.1 % shift measured
    /// precisely is High. When the baseline mean is 0 any non-zero shift passes the gate. 0 turns the gate off.
    /// </summary>
    /// <value>The default value is 0 (Kayenta's behaviour).</value>
    public double MagnitudeGate { get; init; }

    /// <summary>
    /// Gets whether an empty side under <see cref="NanStrategy.Replace"/> is <see cref="MetricClassification.NoData"/> (or
    /// <see cref="MetricClassification.NoDataFail"/> with <see cref="MetricConfig.MustHaveData"/>). Kayenta returns Pass there
    /// (#339, complained about in kayenta#700: "both empty" passes and <c>mustHaveData</c> only works with <c>remove</c>).
    /// </summary>
    /// <value>The default value is <see langword="false"/> (Kayenta's behaviour).</value>
    public bool NoDataUnderReplace { get; init; }
}
