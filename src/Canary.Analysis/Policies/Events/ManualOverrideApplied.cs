namespace Canary.Analysis.Policies.Events;

/// <summary>A human command was applied: what, who and why (<see cref="CanaryRollout.Apply"/>).</summary>
public sealed class ManualOverrideApplied : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision that follows from the command.</param>
    /// <param name="command">The recorded command.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ManualOverrideApplied(RolloutDecision decision, ManualOverride command)
        : base(decision)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.ManualOverride;

    /// <summary>Gets the recorded command (action, who, why, when, at which step).</summary>
    public ManualOverride Command { get; }

    /// <summary>Gets the command's action.</summary>
    public ManualAction Action => Command.Action;

    /// <summary>Gets who gave it.</summary>
    public string By => Command.By;

    /// <summary>Gets why.</summary>
    public string Reason => Command.Reason;
}
