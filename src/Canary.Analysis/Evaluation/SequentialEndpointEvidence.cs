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

    /// <summary>
    /// Gets both versions' requests in the windows judged shared outages (their errors together far above the endpoint's
    /// usual rate; see <see cref="SequentialErrorRateCriteria.SharedOutageErrorFactor"/>), left out of the usual rate.
    /// </summary>
    public long OutageRequests { get; init; }

    /// <summary>Gets both versions' errors in the windows judged shared outages.</summary>
    public long OutageErrors { get; init; }

    /// <summary>
    /// Gets the endpoint's exact group-sequential test over the first looks (<see cref="SequentialErrorRateCriteria.SpendingLooks"/>),
    /// or null without one (no spending, or a canary-only endpoint: nothing to split the errors with).
    /// </summary>
    public GroupSequentialSplitEvidence? Spending { get; init; }

    /// <summary>
    /// Gets the sums from which the dispersion of the endpoint's errors is estimated: both versions' totals of its windows,
    /// except those of an outage shared by most endpoints (see <see cref="SequentialErrorRateCriteria.EstimateErrorDispersion"/>).
    /// </summary>
    /// <value>The default value is empty (no window counted; also what a state saved before these sums existed resumes with).</value>
    public SequentialErrorDispersion Dispersion { get; init; } = new();

    /// <summary>
    /// Gets the endpoint's use of the baseline's history (<see cref="SequentialErrorRateCriteria.BaselineHistory"/>), fixed when
    /// the endpoints were chosen, or null without it.
    /// </summary>
    public BaselineHistoryEvidence? History { get; init; }

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

    /// <summary>
    /// Whether a window is a shared outage: both versions' errors together at least <paramref name="factor"/> × the errors
    /// the endpoint's usual pooled rate (over earlier windows that were not outages, with one error added) predicts for its
    /// requests, plus <see cref="OutageMinimumExcess"/> bursts of <paramref name="burstSize"/> errors. Reads only the window's totals and earlier windows, never the split between versions.
    /// </summary>
    internal bool IsSharedOutage(IntervalCounts counts, double? factor, double burstSize = 1)
    {
        if (factor is not { } k || counts.BaselineTrials == 0)
        {
            return false;
        }

        // The usual rate errs high (one error more than seen), so a short or error-free history flags nothing ordinary;
        // without any history nothing is flagged.
        var usualRequests = CanaryRequests + BaselineRequests - OutageRequests;
        if (usualRequests == 0)
        {
            return false;
        }

        var usualRate = (CanaryErrors + BaselineErrors - OutageErrors + 1) / (double)usualRequests;
        var expected = usualRate * (counts.CanaryTrials + counts.BaselineTrials);
        return counts.CanaryEvents + counts.BaselineEvents >= (k * expected) + (OutageMinimumExcess * burstSize);
    }

    /// <summary>The errors a shared-outage window must have beyond the usual count times the factor.</summary>
    internal const double OutageMinimumExcess = 2;

    /// <summary>
    /// Whether a window was tempered as one burst (φ at least its errors: an endpoint's first windows, a window far above the
    /// usual rate). The exact spending tests leave such a window out rather than count c/φ ≤ 1 against its full null
    /// distribution, which would bias them low; the choice reads the window's totals only, so they stay valid.
    /// </summary>
    internal static bool IsOneBurst(IntervalCounts counts, double exponent) =>
        exponent < 1 && exponent * (counts.CanaryEvents + counts.BaselineEvents) <= 1 + 1e-9;

    /// <summary>
    /// The evidence after one more window's counts, its likelihood ratio raised to <paramref name="exponent"/> (1/φ, the
    /// dispersion tempering); a shared-outage window's factor is hedged with <paramref name="nullWeight"/>. The dispersion's
    /// sums are the evaluator's to update.
    /// </summary>
    internal SequentialEndpointEvidence Add(IntervalCounts counts, bool sharedOutage = false, double nullWeight = 0, double exponent = 1) => this with
    {
        CanaryRequests = CanaryRequests + counts.CanaryTrials,
        CanaryErrors = CanaryErrors + counts.CanaryEvents,
        BaselineRequests = BaselineRequests + counts.BaselineTrials,
        BaselineErrors = BaselineErrors + counts.BaselineEvents,
        OutageRequests = OutageRequests + (sharedOutage ? counts.CanaryTrials + counts.BaselineTrials : 0),
        OutageErrors = OutageErrors + (sharedOutage ? counts.CanaryEvents + counts.BaselineEvents : 0),
        Evidence = Evidence.Add([counts], [sharedOutage], nullWeight, [exponent]),
        CanaryOnly = CanaryOnly?.Add(counts.CanaryEvents, counts.CanaryTrials),
        Spending = sharedOutage || IsOneBurst(counts, exponent) ? Spending?.Add([]) : Spending?.Add([counts], [exponent]),
    };
}
