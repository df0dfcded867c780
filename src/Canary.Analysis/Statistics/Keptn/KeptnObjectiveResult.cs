namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The evaluation of one Keptn objective.</summary>
public sealed class KeptnObjectiveResult
{
    /// <summary>Creates an objective result.</summary>
    /// <param name="sli">The SLI name.</param>
    /// <param name="status">The status.</param>
    /// <param name="score">The score: the weight for pass, half of it for warning, else 0.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="keySli">Whether the objective is a key SLI.</param>
    /// <param name="value">The measured value (NaN when missing).</param>
    /// <param name="comparisonValue">The aggregate of previous values relative criteria compared with (NaN when none).</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sli"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    public KeptnObjectiveResult(string sli, KeptnObjectiveStatus status, double score, double weight, bool keySli, double value, double comparisonValue, string reason)
    {
        ArgumentNullException.ThrowIfNull(sli);
        ArgumentNullException.ThrowIfNull(reason);
        Sli = sli;
        Status = status;
        Score = score;
        Weight = weight;
        KeySli = keySli;
        Value = value;
        ComparisonValue = comparisonValue;
        Reason = reason;
    }

    /// <summary>Gets the SLI name.</summary>
    public string Sli { get; }

    /// <summary>Gets the status.</summary>
    public KeptnObjectiveStatus Status { get; }

    /// <summary>Gets the score: the weight for pass, half of it for warning, else 0.</summary>
    public double Score { get; }

    /// <summary>Gets the weight.</summary>
    public double Weight { get; }

    /// <summary>Gets whether the objective is a key SLI.</summary>
    public bool KeySli { get; }

    /// <summary>Gets the measured value (NaN when missing).</summary>
    public double Value { get; }

    /// <summary>Gets the aggregate of previous values relative criteria compared with (NaN when none).</summary>
    public double ComparisonValue { get; }

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; }
}
