using Canary.Analysis.Analysis;

namespace Canary.Analysis.Simulation;

/// <summary>How a simulated run ended, when, and the timeline of what was measured.</summary>
public sealed class SimulationOutcome
{
    /// <summary>Creates an outcome.</summary>
    /// <param name="kind">How the run ended.</param>
    /// <param name="startedAt">When the simulation started (virtual time).</param>
    /// <param name="endedAt">When it was decided, or when the simulated time ran out.</param>
    /// <param name="reason">A one-line reason.</param>
    /// <param name="timeline">The events, in time order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> or <paramref name="timeline"/> is null.</exception>
    public SimulationOutcome(SimulationOutcomeKind kind, DateTimeOffset startedAt, DateTimeOffset endedAt, string reason, IReadOnlyList<SimulationEvent> timeline)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(timeline);
        Kind = kind;
        StartedAt = startedAt;
        EndedAt = endedAt;
        Reason = reason;
        Timeline = timeline;
        FirstFailedAt = timeline.FirstOrDefault(e => e.Phase == MeasurementPhase.Failed)?.Time;
    }

    /// <summary>Gets how the run ended.</summary>
    public SimulationOutcomeKind Kind { get; }

    /// <summary>Gets when the simulation started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the run was decided, or when the simulated time ran out (<see cref="SimulationOutcomeKind.Undecided"/>).</summary>
    public DateTimeOffset EndedAt { get; }

    /// <summary>Gets the time from the start to the decision, or null when undecided.</summary>
    public TimeSpan? TimeToDecision => Kind == SimulationOutcomeKind.Undecided ? null : EndedAt - StartedAt;

    /// <summary>Gets the time of the first Failed measurement, or null when none failed.</summary>
    public DateTimeOffset? FirstFailedAt { get; }

    /// <summary>Gets a one-line reason.</summary>
    public string Reason { get; }

    /// <summary>Gets the events, in time order.</summary>
    public IReadOnlyList<SimulationEvent> Timeline { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} after {EndedAt - StartedAt}: {Reason}";
}
