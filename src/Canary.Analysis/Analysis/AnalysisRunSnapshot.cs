namespace Canary.Analysis.Analysis;

/// <summary>
/// A serialisable copy of a run's progress, so a controller can keep it in a resource's status and resume after a
/// restart with <see cref="AnalysisRun.Restore"/>. Counters and the last measurement survive; older history does not.
/// </summary>
public sealed class AnalysisRunSnapshot
{
    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets a value indicating whether this is background analysis.</summary>
    public bool Background { get; init; }

    /// <summary>Gets a value indicating whether the run was terminated, and why.</summary>
    public string? TerminationReason { get; init; }

    /// <summary>Gets a value indicating whether the run was terminated.</summary>
    public bool Terminated { get; init; }

    /// <summary>Gets the run's phase.</summary>
    public AnalysisPhase Phase { get; init; }

    /// <summary>Gets the run's message.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets each metric's progress.</summary>
    public IReadOnlyList<MetricRunSnapshot> Metrics { get; init; } = [];
}
