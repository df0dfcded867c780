namespace Canary.Analysis.Statistics.Keptn;

/// <summary>The status of one Keptn objective.</summary>
public enum KeptnObjectiveStatus
{
    /// <summary>The pass criteria are met: score = weight.</summary>
    Pass,

    /// <summary>The warning criteria are met: score = ½·weight.</summary>
    Warning,

    /// <summary>Neither, or the SLI value is missing: score 0.</summary>
    Fail,

    /// <summary>The objective has no pass criteria: not scored.</summary>
    Info,
}
