namespace Canary.Analysis.Policies.Events;

/// <summary>The rollout was aborted and rolled back (by its analysis or by a human; <see cref="RolloutDecision.Cause"/> says which).</summary>
public sealed class RolloutRolledBack : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The rollback decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public RolloutRolledBack(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.RolledBack;
}
