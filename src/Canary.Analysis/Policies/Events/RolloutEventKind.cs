namespace Canary.Analysis.Policies.Events;

/// <summary>What a <see cref="RolloutEvent"/> reports: one value per sealed event type.</summary>
public enum RolloutEventKind
{
    /// <summary><see cref="RolloutStarted"/>.</summary>
    Started,

    /// <summary><see cref="WeightChanged"/>.</summary>
    WeightChanged,

    /// <summary><see cref="StepCompleted"/>.</summary>
    StepCompleted,

    /// <summary><see cref="PausedInconclusive"/>.</summary>
    PausedInconclusive,

    /// <summary><see cref="AnalysisFailed"/>.</summary>
    AnalysisFailed,

    /// <summary><see cref="RolloutRolledBack"/>.</summary>
    RolledBack,

    /// <summary><see cref="RolloutPromoted"/>.</summary>
    Promoted,

    /// <summary><see cref="ManualOverrideApplied"/>.</summary>
    ManualOverride,

    /// <summary><see cref="ProviderError"/>.</summary>
    ProviderError,

    /// <summary><see cref="RolloutHeartbeat"/>.</summary>
    Heartbeat,

    /// <summary><see cref="ChecksMeasured"/>.</summary>
    ChecksMeasured,
}
