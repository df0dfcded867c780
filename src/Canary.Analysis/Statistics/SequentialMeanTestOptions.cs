namespace Canary.Analysis.Statistics;

/// <summary>Options of a <see cref="SequentialMeanTest"/>.</summary>
public sealed class SequentialMeanTestOptions
{
    /// <summary>Gets or sets the false-alarm rate over all looks together.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Gets or sets the direction tested: <see cref="Alternative.Greater"/> means "the canary's mean is higher" (slower).</summary>
    /// <value>The default value is <see cref="Alternative.Greater"/>.</value>
    public Alternative Alternative { get; set; } = Alternative.Greater;

    /// <summary>Gets or sets the standard deviation of one observation (assumed equal in both versions), e.g. from the baseline's history.</summary>
    public double StandardDeviation { get; set; } = double.NaN;

    /// <summary>Gets or sets the scale τ of the normal mixture over the difference of means: the size of shift the test is most sensitive to.</summary>
    /// <value>The default value is NaN, meaning one <see cref="StandardDeviation"/>.</value>
    public double MixtureScale { get; set; } = double.NaN;
}
