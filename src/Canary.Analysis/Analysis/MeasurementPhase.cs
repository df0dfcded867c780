namespace Canary.Analysis.Analysis;

/// <summary>The outcome of one measurement (Argo Rollouts' measurement phases).</summary>
public enum MeasurementPhase
{
    /// <summary>The check passed.</summary>
    Successful,

    /// <summary>The check failed.</summary>
    Failed,

    /// <summary>The check could not decide (too little data, no data).</summary>
    Inconclusive,

    /// <summary>The measurement itself failed (provider error, timeout): it does not count toward <see cref="AnalysisMetric.Count"/>.</summary>
    Error,
}
