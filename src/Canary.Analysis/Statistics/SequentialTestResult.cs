namespace Canary.Analysis.Statistics;

/// <summary>The outcome of a <see cref="SequentialProportionTest"/> after the looks so far.</summary>
public sealed class SequentialTestResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="eValues">The e-value after each look, in order (copied).</param>
    /// <param name="alpha">The false-alarm rate over all looks.</param>
    /// <param name="crossingLook">The 1-based number of the first look whose e-value reached 1/α, or <see langword="null"/>.</param>
    /// <param name="last">The last (cumulative) look, or <see langword="null"/> when there was none.</param>
    /// <param name="reason">A one-line human explanation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="eValues"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    public SequentialTestResult(IReadOnlyList<double> eValues, double alpha, int? crossingLook, SequentialLook? last, string reason)
    {
        ArgumentNullException.ThrowIfNull(eValues);
        ArgumentNullException.ThrowIfNull(reason);
        EValues = eValues.ToArray();
        Alpha = alpha;
        CrossingLook = crossingLook;
        Last = last;
        Reason = reason;
        double max = 1;
        foreach (double e in eValues)
        {
            max = Math.Max(max, e);
        }

        MaxEValue = max;
    }

    /// <summary>Gets the e-value (mixture likelihood ratio) after each look, in order.</summary>
    public IReadOnlyList<double> EValues { get; }

    /// <summary>Gets the e-value after the last look; 1 before any look.</summary>
    public double EValue => EValues.Count == 0 ? 1 : EValues[^1];

    /// <summary>Gets the largest e-value over all looks so far (at least 1).</summary>
    public double MaxEValue { get; }

    /// <summary>Gets the false-alarm rate over all looks the test holds.</summary>
    public double Alpha { get; }

    /// <summary>Gets the boundary 1/α.</summary>
    public double Threshold => 1 / Alpha;

    /// <summary>
    /// Gets whether the e-value reached 1/α at some look: the evidence against "same event rate" is strong enough to act on (for the
    /// default alternative, to roll back). Once crossed it stays crossed, whatever later looks show.
    /// </summary>
    public bool BoundaryCrossed => CrossingLook is not null;

    /// <summary>Gets the 1-based number of the first look at which the e-value reached 1/α, or <see langword="null"/>.</summary>
    public int? CrossingLook { get; }

    /// <summary>Gets the always-valid p-value, min(1, 1 / <see cref="MaxEValue"/>): valid at any look and any stopping rule.</summary>
    public double PValue => Math.Min(1, 1 / MaxEValue);

    /// <summary>Gets the number of looks.</summary>
    public int Looks => EValues.Count;

    /// <summary>Gets the last cumulative look, or <see langword="null"/> when there was none.</summary>
    public SequentialLook? Last { get; }

    /// <summary>Gets a one-line human explanation of the result.</summary>
    public string Reason { get; }

    /// <summary>Returns <see cref="Reason"/>.</summary>
    /// <returns>The reason.</returns>
    public override string ToString() => Reason;
}
