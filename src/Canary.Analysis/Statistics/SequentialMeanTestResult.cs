namespace Canary.Analysis.Statistics;

/// <summary>The outcome of a <see cref="SequentialMeanTest"/> after the looks so far.</summary>
public sealed class SequentialMeanTestResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="eValues">The e-value after each look (copied).</param>
    /// <param name="alpha">The false-alarm rate over all looks.</param>
    /// <param name="crossingLook">The 1-based first look whose e-value reached 1/α, or null.</param>
    /// <param name="difference">The last look's difference of means (canary − baseline), NaN before any look.</param>
    /// <param name="reason">A one-line explanation.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public SequentialMeanTestResult(IReadOnlyList<double> eValues, double alpha, int? crossingLook, double difference, string reason)
    {
        ArgumentNullException.ThrowIfNull(eValues);
        ArgumentNullException.ThrowIfNull(reason);
        EValues = [.. eValues];
        Alpha = alpha;
        CrossingLook = crossingLook;
        Difference = difference;
        Reason = reason;
        MaxEValue = Math.Max(1, EValues.Count == 0 ? 1 : EValues.Max());
    }

    /// <summary>Gets the e-value after each look.</summary>
    public IReadOnlyList<double> EValues { get; }

    /// <summary>Gets the largest e-value so far (at least 1).</summary>
    public double MaxEValue { get; }

    /// <summary>Gets the false-alarm rate over all looks.</summary>
    public double Alpha { get; }

    /// <summary>Gets the boundary 1/α.</summary>
    public double Threshold => 1 / Alpha;

    /// <summary>Gets the 1-based first look that crossed the boundary, or null.</summary>
    public int? CrossingLook { get; }

    /// <summary>Gets a value indicating whether the boundary was crossed.</summary>
    public bool BoundaryCrossed => CrossingLook is not null;

    /// <summary>Gets the always-valid p-value, min(1, 1 / max e-value).</summary>
    public double PValue => Math.Min(1, 1 / MaxEValue);

    /// <summary>Gets the last difference of means (canary − baseline).</summary>
    public double Difference { get; }

    /// <summary>Gets a one-line explanation.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string ToString() => Reason;
}
