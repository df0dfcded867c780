namespace Canary.Analysis.Simulation;

/// <summary>How a simulated run ended.</summary>
public enum SimulationOutcomeKind
{
    /// <summary>Nothing was decided before the simulation's time ran out.</summary>
    Undecided,

    /// <summary>The run (or the policy) decided the canary is good: Successful, promote.</summary>
    Succeeded,

    /// <summary>The run (or the policy) decided the canary is bad: Failed, roll back. A detection, or a false alarm on a healthy canary.</summary>
    Failed,

    /// <summary>The run ended Inconclusive: not enough evidence either way (a human or the policy decides).</summary>
    Inconclusive,

    /// <summary>The run ended in Error (measurements could not be taken).</summary>
    Error,
}
