using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Analysis;

/// <summary>
/// What a check says about itself to the policy linter: what it judges, the data each measurement reads, its endpoint
/// weights, the sample it needs, whether it compares with a baseline and, for a sequential test, its α.
/// </summary>
/// <remarks>
/// Every setting is optional: null (or <see cref="CheckSubject.Unknown"/>) means "not said", and rules that need it treat
/// the check as they treat a check they know nothing about. A user check that does not override
/// <see cref="IAnalysisCheck.Description"/> is <see cref="Opaque"/>. A description is a snapshot: the weights are copied,
/// so changing them does not change the check.
/// </remarks>
public sealed class CheckDescription
{
    private readonly EndpointWeights? _weights;

    /// <summary>Gets the description of a check that says nothing about itself.</summary>
    public static CheckDescription Opaque { get; } = new();

    /// <summary>Gets what the check judges.</summary>
    /// <value>The default value is <see cref="CheckSubject.Unknown"/>.</value>
    public CheckSubject Judges { get; init; }

    /// <summary>
    /// Gets the trailing window each measurement reads, or null when the check accumulates its evidence over every look
    /// (a sequential test) or does not say. The linter caps the data a step judges by this window.
    /// </summary>
    /// <value>The default value is null.</value>
    public TimeSpan? Window { get; init; }

    /// <summary>
    /// Gets how the check weights endpoints, or null when it does not judge per endpoint (or does not say); the linter then
    /// assumes it judges every endpoint. The value is a copy of the check's weights.
    /// </summary>
    /// <value>The default value is null.</value>
    public EndpointWeights? Weights
    {
        get => _weights is null ? null : Copy(_weights);
        init => _weights = value is null ? null : Copy(value);
    }

    /// <summary>Gets the requests each judged endpoint needs before the check can pass, or null when not said.</summary>
    /// <value>The default value is null.</value>
    public double? MinimumRequestsPerEndpoint { get; init; }

    /// <summary>Gets the values (data points) each compared series needs before the check can pass, or null when not said.</summary>
    /// <value>The default value is null.</value>
    public int? MinimumDataPoints { get; init; }

    /// <summary>Gets a value indicating whether the check compares the canary with the baseline (rather than with fixed limits).</summary>
    /// <value>The default value is false.</value>
    public bool ComparesWithBaseline { get; init; }

    /// <summary>
    /// Gets the false-alarm rate the check holds over every look of its whole life when it is a sequential (always-valid)
    /// test, or null when it is not sequential (a fixed-sample test at each look, or no test at all).
    /// </summary>
    /// <value>The default value is null.</value>
    public double? SequentialAlpha { get; init; }

    /// <summary>Gets the query the check evaluates, or null when it does not run one query of its own.</summary>
    /// <value>The default value is null.</value>
    public string? Query { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string> { Judges.ToString() };
        if (Window is { } window)
        {
            parts.Add($"window {window}");
        }

        if (_weights is { } weights)
        {
            parts.Add($"weights {weights.Mode} ({weights.Count} listed)");
        }

        if (ComparesWithBaseline)
        {
            parts.Add("vs baseline");
        }

        if (SequentialAlpha is { } alpha)
        {
            parts.Add(FormattableString.Invariant($"sequential α {alpha}"));
        }

        return string.Join(", ", parts);
    }

    private static EndpointWeights Copy(EndpointWeights weights)
    {
        var copy = new EndpointWeights { Mode = weights.Mode, DefaultWeight = weights.DefaultWeight };
        foreach (var (endpoint, weight) in weights)
        {
            copy[endpoint] = weight;
        }

        return copy;
    }
}
