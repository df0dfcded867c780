namespace Canary.Analysis.Statistics;

/// <summary>Options of <see cref="ProportionTest"/>, named after the arguments of R's <c>prop.test</c>.</summary>
public sealed class ProportionTestOptions
{
    /// <summary>Gets or sets the alternative hypothesis, for the canary's proportion relative to the baseline's (or to the floor).</summary>
    /// <value>The default value is <see cref="Alternative.TwoSided"/>.</value>
    public Alternative Alternative { get; set; } = Alternative.TwoSided;

    /// <summary>Gets or sets the confidence level of the interval, strictly between 0 and 1 (R's <c>conf.level</c>).</summary>
    /// <value>The default value is 0.95.</value>
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Gets or sets whether Yates' continuity correction is applied to the statistic and the interval (R's <c>correct</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ContinuityCorrection { get; set; } = true;
}
