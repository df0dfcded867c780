namespace Canary.Analysis.Policies.Events;

/// <summary>The canary's weight changed: requested and effective (the real share with pod-count splitting), from → to.</summary>
public sealed class WeightChanged : RolloutEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="decision">The decision that changed the weight (its weights are the new ones).</param>
    /// <param name="fromWeight">The requested weight before, in percent.</param>
    /// <param name="fromEffectiveWeight">The effective weight before, in percent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public WeightChanged(RolloutDecision decision, int fromWeight, double fromEffectiveWeight)
        : base(decision)
    {
        FromWeight = fromWeight;
        FromEffectiveWeight = fromEffectiveWeight;
    }

    /// <inheritdoc />
    public override RolloutEventKind Kind => RolloutEventKind.WeightChanged;

    /// <summary>Gets the requested weight before, in percent.</summary>
    public int FromWeight { get; }

    /// <summary>Gets the requested weight now, in percent.</summary>
    public int ToWeight => Decision.Weight;

    /// <summary>Gets the effective weight before, in percent.</summary>
    public double FromEffectiveWeight { get; }

    /// <summary>Gets the effective weight now, in percent (<see cref="RolloutDecision.EffectiveWeight"/>).</summary>
    public double ToEffectiveWeight => Decision.EffectiveWeight;
}
