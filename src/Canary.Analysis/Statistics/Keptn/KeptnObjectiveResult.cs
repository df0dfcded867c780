namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The evaluation of one Keptn objective.</summary>
/// <param name="sli">The SLI name.</param>
/// <param name="status">The status.</param>
/// <param name="score">The score: the weight for pass, half of it for warning, else 0.</param>
/// <param name="weight">The weight.</param>
/// <param name="keySli">Whether the objective is a key SLI.</param>
/// <param name="value">The measured value (NaN when missing).</param>
/// <param name="comparisonValue">The aggregate of previous values relative criteria compared with (NaN when none).</param>
/// <param name="reason">A one-line human reason.</param>
/// <exception cref="ArgumentNullException"><paramref name="sli"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
public sealed class KeptnObjectiveResult(string sli, KeptnObjectiveStatus status, double score, double weight, bool keySli, double value, double comparisonValue, string reason)
{
    /// <summary>Gets the SLI name.</summary>
    public string Sli { get; } = sli ?? throw new ArgumentNullException(nameof(sli));

    /// <summary>Gets the status.</summary>
    public KeptnObjectiveStatus Status { get; } = status;

    /// <summary>Gets the score: the weight for pass, half of it for warning, else 0.</summary>
    public double Score { get; } = score;

    /// <summary>Gets the weight.</summary>
    public double Weight { get; } = weight;

    /// <summary>Gets whether the objective is a key SLI.</summary>
    public bool KeySli { get; } = keySli;

    /// <summary>Gets the measured value (NaN when missing).</summary>
    public double Value { get; } = value;

    /// <summary>Gets the aggregate of previous values relative criteria compared with (NaN when none).</summary>
    public double ComparisonValue { get; } = comparisonValue;

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; } = reason ?? throw new ArgumentNullException(nameof(reason));
}
