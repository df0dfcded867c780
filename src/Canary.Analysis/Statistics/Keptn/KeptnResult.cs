namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The result of a Keptn quality gate evaluation.</summary>
public enum KeptnResult
{
    /// <summary>The total score reached the pass percentage and no key SLI failed.</summary>
    Pass,

    /// <summary>The total score reached the warning percentage and no key SLI failed.</summary>
    Warning,

    /// <summary>Otherwise.</summary>
    Fail,
}
