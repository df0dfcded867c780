namespace Canary.Analysis.Statistics.Keptn;

/// <summary>One objective of a Keptn SLO file.</summary>
public sealed class KeptnObjective
{
    /// <summary>Gets the SLI name (Keptn's <c>sli</c>).</summary>
    /// <value>The default value is the empty string.</value>
    public string Sli { get; init; } = string.Empty;

    /// <summary>Gets the display name (Keptn's <c>displayName</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DisplayName { get; init; }

    /// <summary>Gets the weight; Keptn turns 0 into 1.</summary>
    /// <value>The default value is 1.</value>
    public double Weight { get; init; } = 1;

    /// <summary>Gets whether a failure of this objective fails the gate (Keptn's <c>key_sli</c>); a warning does not.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool KeySli { get; init; }

    /// <summary>
    /// Gets the pass criteria: a list of sets, OR'ed; the criteria in a set are AND'ed. Empty makes the objective informational.
    /// </summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<IReadOnlyList<string>> Pass { get; init; } = [];

    /// <summary>Gets the warning criteria, structured as <see cref="Pass"/>.</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<IReadOnlyList<string>> Warning { get; init; } = [];
}
