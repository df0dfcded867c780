namespace Canary.Analysis.Statistics.Judge;

/// <summary>The canary and baseline time windows of one judgement of a multi-interval canary analysis.</summary>
public sealed class AnalysisWindow
{
    /// <summary>Creates a window.</summary>
    /// <param name="index">The 1-based judgement number.</param>
    /// <param name="canaryStart">The start of the canary (experiment) window.</param>
    /// <param name="canaryEnd">The end of the canary window.</param>
    /// <param name="baselineStart">The start of the baseline (control) window.</param>
    /// <param name="baselineEnd">The end of the baseline window.</param>
    public AnalysisWindow(int index, DateTimeOffset canaryStart, DateTimeOffset canaryEnd, DateTimeOffset baselineStart, DateTimeOffset baselineEnd)
    {
        Index = index;
        CanaryStart = canaryStart;
        CanaryEnd = canaryEnd;
        BaselineStart = baselineStart;
        BaselineEnd = baselineEnd;
    }

    /// <summary>Gets the 1-based judgement number.</summary>
    public int Index { get; }

    /// <summary>Gets the start of the canary (experiment) window.</summary>
    public DateTimeOffset CanaryStart { get; }

    /// <summary>Gets the end of the canary window.</summary>
    public DateTimeOffset CanaryEnd { get; }

    /// <summary>Gets the start of the baseline (control) window: the canary start minus the control offset.</summary>
    public DateTimeOffset BaselineStart { get; }

    /// <summary>Gets the end of the baseline window: the canary end minus the control offset.</summary>
    public DateTimeOffset BaselineEnd { get; }
}
