namespace Canary.Analysis.Policies;

/// <summary>What a canary step does.</summary>
public enum CanaryStepKind
{
    /// <summary>Sets the canary's traffic weight; completes at once.</summary>
    SetWeight,

    /// <summary>Waits for a duration, or until a human resumes the rollout when there is none.</summary>
    Pause,

    /// <summary>Runs an analysis; completes when it is Successful.</summary>
    Analysis,
}
