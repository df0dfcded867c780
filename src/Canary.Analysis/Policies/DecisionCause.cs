namespace Canary.Analysis.Policies;

/// <summary>Why a rollout decided what it did: the typed cause behind <see cref="RolloutDecision.Reason"/>.</summary>
public enum DecisionCause
{
    /// <summary>A weight step set the canary's weight.</summary>
    WeightSet,

    /// <summary>A timed pause is running.</summary>
    Pausing,

    /// <summary>A timed pause elapsed.</summary>
    PauseElapsed,

    /// <summary>A pause without duration waits for a human.</summary>
    PausedUntilResumed,

    /// <summary>The step's analysis is measuring; nothing is decided yet.</summary>
    AnalysisRunning,

    /// <summary>The step's analysis was successful.</summary>
    AnalysisSuccessful,

    /// <summary>The step's analysis failed.</summary>
    AnalysisFailed,

    /// <summary>The step's analysis ended in error (measurements could not be taken).</summary>
    AnalysisError,

    /// <summary>The step's analysis was inconclusive: a human decides.</summary>
    AnalysisInconclusive,

    /// <summary>A fail-fast step's analysis was inconclusive without a regression seen; a later analysis must still pass.</summary>
    FailFastInconclusive,

    /// <summary>The step's analysis was skipped by a human (<see cref="RolloutState.ActiveSkip"/>).</summary>
    AnalysisSkipped,

    /// <summary>Background analysis failed.</summary>
    BackgroundFailed,

    /// <summary>Background analysis ended in error.</summary>
    BackgroundError,

    /// <summary>Background analysis was inconclusive: a human decides.</summary>
    BackgroundInconclusive,

    /// <summary>A human promoted.</summary>
    ManualPromote,

    /// <summary>A human aborted.</summary>
    ManualAbort,

    /// <summary>A human skipped analysis.</summary>
    ManualSkipAnalysis,

    /// <summary>A human retried an aborted rollout.</summary>
    ManualRetry,

    /// <summary>A human resumed a paused rollout.</summary>
    ManualResume,

    /// <summary>The rollout was already rolled back; the reason is the one recorded then.</summary>
    RolledBack,

    /// <summary>The rollout was already promoted; the reason is the one recorded then.</summary>
    Promoted,

    /// <summary>The rollout is paused, waiting for a human; the reason is the one recorded then.</summary>
    Paused,
}
