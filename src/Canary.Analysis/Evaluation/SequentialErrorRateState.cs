using System.Text.Json.Serialization;
using Canary.Analysis.Internal;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// Everything a <see cref="SequentialErrorRateEvaluator"/> has accumulated: the judged endpoints with their counts and
/// e-values, the service-wide evidence, the largest combined evidence, and when data was last seen. An immutable value with
/// value equality (<c>==</c>), serializable with System.Text.Json (source generation, Native AOT), so a controller can save
/// it with the rollout's state and resume the same test after a restart.
/// </summary>
/// <param name="ServiceWide">The service-wide evidence: one common error-rate ratio across every judged endpoint.</param>
public sealed record SequentialErrorRateState(SequentialRateRatioEvidence ServiceWide)
{
    private readonly ValueArray<SequentialEndpointEvidence> _endpoints = ValueArray<SequentialEndpointEvidence>.Empty;
    private readonly ValueArray<string> _unjudged = ValueArray<string>.Empty;

    /// <summary>
    /// Gets the judged endpoints, in the order they were chosen (at the first window that had any, and then fixed, so
    /// the weights cannot drift).
    /// </summary>
    /// <value>The default value is empty: no endpoint chosen yet.</value>
    public IReadOnlyList<SequentialEndpointEvidence> Endpoints
    {
        get => _endpoints;
        init => _endpoints = ValueArray<SequentialEndpointEvidence>.From(value);
    }

    /// <summary>Gets the canary's endpoints seen after the judged ones were chosen: reported, not judged.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> UnjudgedEndpoints
    {
        get => _unjudged;
        init => _unjudged = ValueArray<string>.From(value);
    }

    /// <summary>Gets the largest combined e-value so far (a Fail, once reached, stays).</summary>
    /// <value>The default value is 1.</value>
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double MaxCombinedEValue { get; init; } = 1;

    /// <summary>
    /// Gets the start of the next window: the end of the last window added (or dropped for counts that are not valid), or
    /// the start of a window with gaps, which is read again; null before the first window.
    /// </summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>Gets the end of the last window whose counts were added.</summary>
    public DateTimeOffset? LastLook { get; init; }

    /// <summary>Gets the end of the last window with canary requests on the judged endpoints.</summary>
    public DateTimeOffset? CanarySeenAt { get; init; }

    /// <summary>Gets the end of the last window with baseline requests on the judged endpoints.</summary>
    public DateTimeOffset? BaselineSeenAt { get; init; }

    /// <summary>Gets why the last window added no evidence (gaps, counts that are not valid), or null when it did.</summary>
    public string? LastLookProblem { get; init; }

    /// <summary>Creates the state before any window: no endpoint chosen, every e-value 1.</summary>
    /// <param name="criteria">The criteria (their service-wide rate ratios shape the service-wide evidence).</param>
    /// <returns>The initial state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    public static SequentialErrorRateState Initial(SequentialErrorRateCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return new(new SequentialRateRatioEvidence(Alternative.Greater, criteria.ServiceWideMinimumRateRatio, criteria.ServiceWideMaximumRateRatio));
    }
}
