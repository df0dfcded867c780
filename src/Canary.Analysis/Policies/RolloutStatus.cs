namespace Canary.Analysis.Policies;

/// <summary>Where a rollout stands.</summary>
public enum RolloutStatus
{
    /// <summary>Running its steps.</summary>
    Progressing,

    /// <summary>Waiting for a human.</summary>
    Paused,

    /// <summary>Fully promoted.</summary>
    Promoted,

    /// <summary>Aborted and rolled back.</summary>
    Aborted,
}
