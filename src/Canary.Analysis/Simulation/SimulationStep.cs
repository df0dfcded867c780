namespace Canary.Analysis.Simulation;

/// <summary>What a simulation callback returns for one tick: keep going, or a decision, with the events it observed.</summary>
public sealed class SimulationStep
{
    private SimulationStep(SimulationOutcomeKind outcome, string reason, IReadOnlyList<SimulationEvent> events)
    {
        Outcome = outcome;
        Reason = reason;
        Events = events;
    }

    /// <summary>Gets the decision, or <see cref="SimulationOutcomeKind.Undecided"/> to keep going.</summary>
    public SimulationOutcomeKind Outcome { get; }

    /// <summary>Gets why (for a decision).</summary>
    public string Reason { get; }

    /// <summary>Gets the events observed during the tick, appended to the timeline.</summary>
    public IReadOnlyList<SimulationEvent> Events { get; }

    /// <summary>Keeps going.</summary>
    /// <param name="events">What was observed.</param>
    /// <returns>The step.</returns>
    public static SimulationStep Continue(params IEnumerable<SimulationEvent> events) =>
        new(SimulationOutcomeKind.Undecided, string.Empty, [.. events ?? []]);

    /// <summary>Ends the simulation with a decision.</summary>
    /// <param name="outcome">The decision (not <see cref="SimulationOutcomeKind.Undecided"/>).</param>
    /// <param name="reason">Why.</param>
    /// <param name="events">What was observed.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is Undecided.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public static SimulationStep Decide(SimulationOutcomeKind outcome, string reason, params IEnumerable<SimulationEvent> events)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (outcome == SimulationOutcomeKind.Undecided)
        {
            throw new ArgumentException("A decision cannot be Undecided: use Continue.", nameof(outcome));
        }

        return new(outcome, reason, [.. events ?? []]);
    }
}
