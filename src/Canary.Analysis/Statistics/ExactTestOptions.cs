namespace Canary.Analysis.Statistics;

/// <summary>Options of the exact tests <see cref="BinomialTest"/> and <see cref="FisherExactTest"/> (R's <c>binom.test</c> and <c>fisher.test</c>).</summary>
public sealed class ExactTestOptions
{
    /// <summary>Gets or sets the alternative hypothesis, for the canary relative to the floor or to the baseline.</summary>
    /// <value>The default value is <see cref="Alternative.TwoSided"/>.</value>
    public Alternative Alternative { get; set; } = Alternative.TwoSided;

    /// <summary>Gets or sets the confidence level of the interval, strictly between 0 and 1 (R's <c>conf.level</c>).</summary>
    /// <value>The default value is 0.95.</value>
    public double ConfidenceLevel { get; set; } = 0.95;
}
