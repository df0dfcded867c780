namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The result of a Keptn quality gate evaluation.</summary>
public sealed class KeptnEvaluation
{
    /// <summary>Creates an evaluation.</summary>
    /// <param name="result">The result.</param>
    /// <param name="scorePercent">100 · achieved / achievable score.</param>
    /// <param name="keySliFailed">Whether a key SLI failed.</param>
    /// <param name="objectives">The objective results, in SLO order.</param>
    /// <param name="reason">A one-line human reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="objectives"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    public KeptnEvaluation(KeptnResult result, double scorePercent, bool keySliFailed, IReadOnlyList<KeptnObjectiveResult> objectives, string reason)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(reason);
        Result = result;
        ScorePercent = scorePercent;
        KeySliFailed = keySliFailed;
        Objectives = objectives.ToArray();
        Reason = reason;
    }

    /// <summary>Gets the result.</summary>
    public KeptnResult Result { get; }

    /// <summary>Gets 100 · achieved / achievable score (100 when nothing is scored, as Keptn).</summary>
    public double ScorePercent { get; }

    /// <summary>Gets whether a key SLI failed.</summary>
    public bool KeySliFailed { get; }

    /// <summary>Gets the objective results, in SLO order.</summary>
    public IReadOnlyList<KeptnObjectiveResult> Objectives { get; }

    /// <summary>Gets a one-line human reason.</summary>
    public string Reason { get; }
}
