namespace Canary.Analysis.Statistics.Keptn;

/// <summary>Options of <see cref="KeptnScoring"/>: Keptn's quirks, reproduced by default, each of which can be turned off.</summary>
public sealed class KeptnScoringOptions
{
    /// <summary>
    /// Gets whether a relative criterion passes when there are no previous values to compare with. Keptn passes it
    /// (<c>if len(previousResults) == 0 { return 0, true }</c>), although its example SLO says the evaluation fails; with
    /// <see langword="false"/> the criterion fails, so an objective with only relative criteria cannot pass on its first run.
    /// </summary>
    /// <value>The default value is <see langword="true"/> (Keptn).</value>
    public bool ComparisonPassesWithoutHistory { get; init; } = true;

    /// <summary>
    /// Gets whether a key SLI that only reaches warning fails the gate. Keptn only fails the gate on a failed key SLI.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (Keptn).</value>
    public bool KeySliWarningFails { get; init; }

    /// <summary>
    /// Gets whether an SLO whose objectives are all informational (no pass criteria) passes with score 100, as Keptn does.
    /// With <see langword="false"/> it fails: nothing was checked.
    /// </summary>
    /// <value>The default value is <see langword="true"/> (Keptn).</value>
    public bool PassWithoutScoredObjectives { get; init; } = true;
}
