using System.Text.Json.Serialization;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Analysis;

/// <summary>
/// A run's progress as an immutable value: a controller keeps it (inside <see cref="Policies.RolloutState"/>) and resumes
/// after a restart with <see cref="AnalysisRun.Restore"/>. A run's <see cref="AnalysisRun.State"/> is a new value exactly
/// when something changed, so "nothing changed" is reference equality; equal states are <c>==</c> (lists compare by their items).
/// </summary>
public sealed record AnalysisRunState
{
    private readonly ValueArray<MetricRunStatus>? _metrics = ValueArray<MetricRunStatus>.Empty;

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets a value indicating whether this is background analysis.</summary>
    public bool Background { get; init; }

    /// <summary>Gets why the run was terminated, or null while it was not.</summary>
    public string? TerminationReason { get; init; }

    /// <summary>Gets a value indicating whether the run was terminated.</summary>
    [JsonIgnore]
    public bool Terminated => TerminationReason is not null;

    /// <summary>Gets the run's phase.</summary>
    public AnalysisPhase Phase { get; init; } = AnalysisPhase.Pending;

    /// <summary>Gets the run's message.</summary>
    public string Message { get; init; } = "Not started.";

    /// <summary>Gets each metric's state, in the order of the run's metrics.</summary>
    public IReadOnlyList<MetricRunStatus> Metrics
    {
        get => _metrics!;
        init => _metrics = ValueArray<MetricRunStatus>.FromNullable(value);
    }
}
