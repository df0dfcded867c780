namespace Canary.Analysis.Analysis;

/// <summary>The phase of a metric or a whole analysis run, from best to worst as Argo Rollouts orders them.</summary>
public enum AnalysisPhase
{
    /// <summary>Completed and within every limit.</summary>
    Successful,

    /// <summary>Measuring.</summary>
    Running,

    /// <summary>Not started (waiting for the initial delay).</summary>
    Pending,

    /// <summary>Completed without enough evidence either way: a human or the policy decides.</summary>
    Inconclusive,

    /// <summary>Too many measurements in a row could not be taken.</summary>
    Error,

    /// <summary>Completed with too many failed measurements.</summary>
    Failed,
}
