using System.Text.Json.Serialization;
using Canary.Analysis.Statistics;

namespace Canary.Analysis.Evaluation;

/// <summary>
/// What a <see cref="SequentialErrorRateEvaluator"/> has accumulated for one judged endpoint: its share of the weight, its
/// cumulative counts and its always-valid evidence. An immutable value, part of <see cref="SequentialErrorRateState"/>.
/// </summary>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Weight">Its normalised weight: its share of the weights of the judged endpoints, fixed when they were chosen.</param>
/// <param name="Evidence">The evidence that its canary error rate is above the baseline's.</param>
/// <param name="CanaryOnly">
/// For an endpoint without baseline traffic when the endpoints were chosen (and with
/// <see cref="SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate"/> set), the evidence that its canary error rate is above
/// that limit, which then replaces <paramref name="Evidence"/>; otherwise null.
/// </param>
public sealed record SequentialEndpointEvidence(string Endpoint, double Weight, SequentialRateRatioEvidence Evidence, SequentialRateLimitEvidence? CanaryOnly)
{
    /// <summary>The largest cumulative count that stays exact (2⁵³).</summary>
    internal const long MaximumExactCount = 1L << 53;

    /// <summary>Gets the canary's requests so far.</summary>
    public long CanaryRequests { get; init; }

    /// <summary>Gets the canary's errors so far.</summary>
    public long CanaryErrors { get; init; }

    /// <summary>Gets the baseline's requests so far.</summary>
    public long BaselineRequests { get; init; }

    /// <summary>Gets the baseline's errors so far.</summary>
    public long BaselineErrors { get; init; }

    /// <summary>Gets the endpoint's e-value: against the canary-only limit when there is one, else against the baseline.</summary>
    [JsonIgnore]
    public double EValue => CanaryOnly?.EValue ?? Evidence.EValue;

    /// <summary>Gets the endpoint's largest e-value so far.</summary>
    [JsonIgnore]
    public double MaxEValue => CanaryOnly?.MaxEValue ?? Evidence.MaxEValue;

    /// <summary>Gets the canary's success rate so far (NaN without requests).</summary>
    [JsonIgnore]
    public double CanarySuccessRate => CanaryRequests > 0 ? 1 - ((double)CanaryErrors / CanaryRequests) : double.NaN;

    /// <summary>Gets the baseline's success rate so far (NaN without requests).</summary>
    [JsonIgnore]
    public double BaselineSuccessRate => BaselineRequests > 0 ? 1 - ((double)BaselineErrors / BaselineRequests) : double.NaN;

    /// <summary>Whether adding these requests keeps every cumulative count exact (at most 2⁵³).</summary>
    internal bool CanAdd(long canaryRequests, long baselineRequests) =>
        CanaryRequests + canaryRequests <= MaximumExactCount && BaselineRequests + baselineRequests <= MaximumExactCount;

    /// <summary>The evidence after one more window's counts.</summary>
    internal SequentialEndpointEvidence Add(IntervalCounts counts) => this with
    {
        CanaryRequests = CanaryRequests + counts.CanaryTrials,
        CanaryErrors = CanaryErrors + counts.CanaryEvents,
        BaselineRequests = BaselineRequests + counts.BaselineTrials,
        BaselineErrors = BaselineErrors + counts.BaselineEvents,
        Evidence = Evidence.Add(counts),
        CanaryOnly = CanaryOnly?.Add(counts.CanaryEvents, counts.CanaryTrials),
    };
}
