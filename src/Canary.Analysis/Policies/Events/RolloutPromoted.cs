namespace Canary.Analysis.Policies.Events;

/// <summary>The rollout was promoted (every step completed, or a human promoted; <see cref="RolloutDecision.Cause"/> says which).</summary>
public sealed class RolloutPromoted : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The promotion decision.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public RolloutPromoted(RolloutDecision decision)
        : base(decision)
    {
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.Promoted;
}
