namespace Canary.Analysis.Policies.Events;

/// <summary>The rollout paused for a human because an analysis (the step's or the background's) was inconclusive.</summary>
public sealed class PausedInconclusive : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The pausing decision.</param>
    /// <param name="missing">What each inconclusive check lacks.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PausedInconclusive(RolloutDecision decision, IReadOnlyList<MissingEvidence> missing)
        : base(decision)
    {
        ArgumentNullException.ThrowIfNull(missing);
        Missing = missing;
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.PausedInconclusive;

    /// <summary>Gets a value indicating whether the background analysis (rather than the step's) was inconclusive.</summary>
    public bool Background => Decision.Cause == DecisionCause.BackgroundInconclusive;

    /// <summary>Gets what each inconclusive check lacks.</summary>
    public IReadOnlyList<MissingEvidence> Missing { get; }

    /// <summary>Gets the longest time still needed among the checks that estimate it, or null when none does.</summary>
    public TimeSpan? TimeNeeded => Missing.Select(m => m.TimeNeeded).Max();
}
