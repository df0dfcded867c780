namespace Canary.Analysis.Policies;

/// <summary>What the controller should do now.</summary>
public enum RolloutAction
{
    /// <summary>Keep the current weight; nothing changes yet (a pause or an analysis is running).</summary>
    Continue,

    /// <summary>A step completed: apply <see cref="RolloutDecision.Weight"/> and move on.</summary>
    Advance,

    /// <summary>Every step completed (or a human promoted): send all traffic to the new version.</summary>
    Promote,

    /// <summary>Send all traffic back to the stable version.</summary>
    Rollback,

    /// <summary>Stop and wait for a human (an inconclusive analysis, or a pause without duration).</summary>
    Pause,
}
