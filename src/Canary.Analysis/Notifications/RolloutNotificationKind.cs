namespace Canary.Analysis.Notifications;

/// <summary>What a <see cref="RolloutNotification"/> tells: the kind of decision worth a message.</summary>
public enum RolloutNotificationKind
{
    /// <summary>An analysis failed and the rollout rolled back (<see cref="Policies.DecisionCause.AnalysisFailed"/> or <see cref="Policies.DecisionCause.BackgroundFailed"/>).</summary>
    RolledBack,

    /// <summary>Every step completed and the new version gets all traffic.</summary>
    Promoted,

    /// <summary>An analysis was inconclusive: the rollout paused and a human decides.</summary>
    PausedInconclusive,

    /// <summary>Measurements could not be taken (a provider error) and the rollout rolled back.</summary>
    ProviderError,

    /// <summary>A human command: promote, abort, skip analysis, retry or resume (<see cref="RolloutNotification.Command"/>).</summary>
    ManualOverride,

    /// <summary>A pause without duration was reached: the rollout waits for a human to resume or promote.</summary>
    WaitingForHuman,
}
