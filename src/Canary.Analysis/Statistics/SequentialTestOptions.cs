namespace Canary.Analysis.Statistics;

/// <summary>Options of <see cref="SequentialProportionTest"/>.</summary>
public sealed class SequentialTestOptions
{
    /// <summary>
    /// Gets or sets the false-alarm rate over all looks together, strictly between 0 and 1: the boundary is an e-value of 1/α.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets the alternative, for the canary's event rate relative to the baseline's: <see cref="Alternative.Greater"/> (the
    /// canary fails more often; the fail-fast question), <see cref="Alternative.Less"/>, or <see cref="Alternative.TwoSided"/>
    /// (half the prior on each side).
    /// </summary>
    /// <value>The default value is <see cref="Alternative.Greater"/>.</value>
    public Alternative Alternative { get; set; } = Alternative.Greater;

    /// <summary>
    /// Gets or sets the smallest ratio of event rates (canary / baseline, or its inverse for <see cref="Alternative.Less"/>) the mixture
    /// puts weight on; greater than 1. Smaller values spend evidence on effects too small to matter for a rollback.
    /// </summary>
    /// <value>The default value is 1.25.</value>
    public double MinimumRateRatio { get; set; } = 1.25;

    /// <summary>Gets or sets the largest ratio of event rates the mixture puts weight on; greater than <see cref="MinimumRateRatio"/>.</summary>
    /// <value>The default value is 100.</value>
    public double MaximumRateRatio { get; set; } = 100;
}
