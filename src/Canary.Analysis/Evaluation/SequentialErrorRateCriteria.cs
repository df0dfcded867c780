using System.Globalization;
using Canary.Analysis.Evaluation.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>What a <see cref="SequentialErrorRateEvaluator"/> judges and how strictly.</summary>
public sealed class SequentialErrorRateCriteria
{
    /// <summary>Gets or sets the probability, over every look of the whole check, of failing a canary whose error rates equal the baseline's.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>
    /// Gets or sets how endpoints are weighted: the per-endpoint part of the evidence is the weighted average of the
    /// endpoints' e-values, so an endpoint that matters more fails sooner (an endpoint alone crosses the boundary when its
    /// e-value reaches 1 / (α × its share of the weight × (1 − <see cref="ServiceWideShare"/>))).
    /// </summary>
    /// <value>The default value is <see cref="EndpointWeights.Equal"/>. Traffic weighting is not supported.</value>
    public EndpointWeights Weights { get; set; } = EndpointWeights.Equal();

    /// <summary>Gets or sets the smallest error-rate ratio (canary / baseline) the test is tuned to detect.</summary>
    /// <value>The default value is 1.25.</value>
    public double MinimumRateRatio { get; set; } = 1.25;

    /// <summary>Gets or sets the largest error-rate ratio the test is tuned to detect.</summary>
    /// <value>The default value is 100.</value>
    public double MaximumRateRatio { get; set; } = 100;

    /// <summary>
    /// Gets or sets the share of the evidence given to the service-wide test: one common error-rate ratio across every
    /// judged endpoint (each endpoint still compared with its own baseline), which sees a regression spread over many
    /// endpoints long before any single endpoint has enough requests to show it. The rest goes to the per-endpoint tests.
    /// 0 turns the service-wide test off.
    /// </summary>
    /// <value>The default value is 0.5.</value>
    public double ServiceWideShare { get; set; } = 0.5;

    /// <summary>Gets or sets the smallest common error-rate ratio the service-wide test is tuned to detect.</summary>
    /// <value>The default value is 1.2.</value>
    public double ServiceWideMinimumRateRatio { get; set; } = 1.2;

    /// <summary>
    /// Gets or sets the largest common error-rate ratio the service-wide test is tuned to detect. Larger regressions are
    /// still detected (within a look or two); a narrow range keeps the test sharp for the small ones.
    /// </summary>
    /// <value>The default value is 3.</value>
    public double ServiceWideMaximumRateRatio { get; set; } = 3;

    /// <summary>
    /// Gets or sets the non-inferiority margin δ a Pass proves: the check passes only once the always-valid upper bound on how far
    /// the canary's weighted success rate (the endpoints' success rates averaged by <see cref="Weights"/>) is below the
    /// baseline's is at most δ, at confidence 1 − <see cref="Alpha"/> holding over every look
    /// (<see cref="Statistics.NonInferiorityBound"/>). Until then the check is Inconclusive, with the time still needed at the
    /// current traffic. A success-rate difference: 0.01 is 1 point.
    /// </summary>
    /// <value>The default value is 0.01 (1 point).</value>
    public double NonInferiorityMargin { get; set; } = 0.01;

    /// <summary>Gets or sets the canary requests every judged endpoint needs before the check can pass (it may fail at any count).</summary>
    /// <value>The default value is 50.</value>
    public double MinimumRequestsPerEndpoint { get; set; } = 50;

    /// <summary>
    /// Gets or sets a value indicating whether data the source marked as a partial response
    /// (<see cref="Traffic.DataGapKind.PartialResponse"/>: Thanos or Mimir answering without one of its stores) may still be judged.
    /// Unreachable targets and missing data always make the result Inconclusive.
    /// </summary>
    /// <value>The default value is false: a snapshot with any gap is Inconclusive, naming the gaps.</value>
    public bool AllowPartialResponses { get; set; }

    /// <summary>
    /// Gets or sets the error rate a canary endpoint without any baseline traffic at the first look (a canary-only route,
    /// a baseline selector that matches nothing) is judged against: such an endpoint's evidence is then an always-valid
    /// test that its error rate is above this limit (within the same α), so a failing canary-only route fails the check.
    /// Such endpoints never pass the check either way; null judges them by nothing and only reports them.
    /// </summary>
    /// <value>The default value is null.</value>
    public double? CanaryOnlyMaximumErrorRate { get; set; }

    /// <summary>
    /// Gets or sets when an endpoint's window counts as a shared outage: both versions' errors together are at least this
    /// multiple of the endpoint's usual count for the window's requests (its pooled error rate over earlier windows that were
    /// not outages, counting one error more than seen; never at the first window) plus 2. Such a window — a dependency failing for both versions — says nothing about the split between
    /// them, yet its exact likelihood ratios would strongly favour equal rates and erase evidence already built; its factor is
    /// hedged instead (<see cref="SharedOutageNullWeight"/>). The decision reads only the two versions' totals, never the
    /// split, so the evidence stays an always-valid test. Null counts every window as it comes.
    /// </summary>
    /// <value>The default value is 4.</value>
    public double? SharedOutageErrorFactor { get; set; } = 4;

    /// <summary>
    /// Gets or sets w in the factor a shared-outage window multiplies the evidence by: w + (1 − w) × its likelihood ratio
    /// (a mixture with "no information", so still a factor of mean at most 1 under equal rates). The window can then shrink
    /// the evidence at most by w, while a canary that fails far more than the baseline during the outage still moves it up.
    /// </summary>
    /// <value>The default value is 0.99.</value>
    public double SharedOutageNullWeight { get; set; } = 0.99;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        CriteriaRules.RequireAlphaSplitWeights(Weights, nameof(SequentialErrorRateCriteria));
        CriteriaRules.RequireAlpha(Alpha, nameof(SequentialErrorRateCriteria));

        if (!(MinimumRateRatio > 1 && MaximumRateRatio > MinimumRateRatio && double.IsFinite(MaximumRateRatio)))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria needs 1 < MinimumRateRatio < MaximumRateRatio < ∞, not {MinimumRateRatio} and {MaximumRateRatio}."));
        }

        if (!(ServiceWideShare is >= 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.ServiceWideShare must be at least 0 and less than 1, not {ServiceWideShare}."));
        }

        if (!(ServiceWideMinimumRateRatio > 1 && ServiceWideMaximumRateRatio > ServiceWideMinimumRateRatio && double.IsFinite(ServiceWideMaximumRateRatio)))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria needs 1 < ServiceWideMinimumRateRatio < ServiceWideMaximumRateRatio < ∞, not {ServiceWideMinimumRateRatio} and {ServiceWideMaximumRateRatio}."));
        }

        CriteriaRules.RequireMinimumRequests(MinimumRequestsPerEndpoint, nameof(SequentialErrorRateCriteria));

        if (!(NonInferiorityMargin is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.NonInferiorityMargin must be a success-rate difference in (0, 1) (0.01 = 1 point), not {NonInferiorityMargin}."));
        }

        if (SharedOutageErrorFactor is { } factor && !(factor >= 1 && double.IsFinite(factor)))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.SharedOutageErrorFactor must be null or a finite number ≥ 1, not {factor}."));
        }

        if (!(SharedOutageNullWeight is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.SharedOutageNullWeight must be strictly between 0 and 1, not {SharedOutageNullWeight}."));
        }

        if (CanaryOnlyMaximumErrorRate is { } limit && !(limit is > 0 and <= 0.5))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate must be null or in (0, 0.5], not {limit}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
