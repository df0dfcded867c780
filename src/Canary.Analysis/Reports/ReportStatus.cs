namespace Canary.Analysis.Reports;

/// <summary>How a report, or one check in it, came out.</summary>
public enum ReportStatus
{
    /// <summary>Passed: the evidence met every condition (a check), or the rollout was promoted.</summary>
    Passed,

    /// <summary>Failed: the evidence broke a condition (a check), or the rollout was rolled back.</summary>
    Failed,

    /// <summary>Not enough evidence either way; never counted as passed.</summary>
    Inconclusive,

    /// <summary>The measurements could not be taken (provider errors); never counted as passed.</summary>
    Error,

    /// <summary>Not decided yet: the analysis or the rollout is still running.</summary>
    Running,
}
