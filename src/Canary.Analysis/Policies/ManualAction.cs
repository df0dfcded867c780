namespace Canary.Analysis.Policies;

/// <summary>A human command on a rollout.</summary>
public enum ManualAction
{
    /// <summary>Promote now, skipping the remaining steps.</summary>
    Promote,

    /// <summary>Skip analysis (current and later analysis steps) for an urgent fix.</summary>
    SkipAnalysis,

    /// <summary>Abort and roll back.</summary>
    Abort,

    /// <summary>Retry an aborted rollout from its first step.</summary>
    Retry,

    /// <summary>Resume a paused rollout: the current step completes.</summary>
    Resume,
}
