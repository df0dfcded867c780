using System.Globalization;
using Canary.Analysis.Evaluation.Internal;
using Canary.Analysis.Statistics;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>What a <see cref="SequentialErrorRateEvaluator"/> judges and how strictly.</summary>
public sealed class SequentialErrorRateCriteria : IValidatable
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
    /// <value>The default value is 0.4 (measured on DESIGN's scenario: with 0.5 the service-wide test gains little on a
    /// regression spread over every endpoint, and a heavily weighted sparse endpoint loses more).</value>
    public double ServiceWideShare { get; set; } = 0.4;

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

    /// <summary>
    /// Gets or sets over how many first looks <see cref="SpendingShare"/> of α is spent by exact group-sequential tests
    /// (<see cref="Statistics.GroupSequentialSplitEvidence"/>: one service-wide, one per endpoint, α split as the e-values'
    /// weights), spent linearly look by look — the fail-fast step, where the decision is made. The e-values keep the rest of α
    /// (their boundary becomes 1 / (α × (1 − <see cref="SpendingShare"/>))) for every look of the policy. Null: e-values only,
    /// with all of α.
    /// </summary>
    /// <value>The default value is 13: DESIGN's 13-minute fail-fast step looked at every minute.</value>
    public int? SpendingLooks { get; set; } = 13;

    /// <summary>Gets or sets the share of α the exact tests spend over the first <see cref="SpendingLooks"/> looks.</summary>
    /// <value>The default value is 0.85: 4.25 % of α = 5 % within the fail-fast step, 0.75 % held for every later look.</value>
    public double SpendingShare { get; set; } = 0.85;

    /// <summary>
    /// Gets or sets how the exact tests of the canary against the concurrent baseline spread their α over their looks: by look k
    /// of K at most α (k / K)^ρ is spent. 1 spends linearly; a larger ρ keeps more α for the last looks of the fail-fast step,
    /// where a small regression has built up enough evidence, at the cost of catching a large one a look or two later (a gross
    /// one still crosses at once). Any ρ is exactly valid: the critical values are computed from the spent α look by look. A
    /// saved test keeps the ρ it started with. The history tests (<see cref="BaselineHistory"/>) spend linearly: a sparse
    /// endpoint's few canary requests give their evidence early.
    /// </summary>
    /// <value>The default value is 3: α/2 197 by the first look, α/8 by look 6, all of it by look 13.</value>
    public double SpendingExponent { get; set; } = 3;

    /// <summary>Gets the α the e-values keep: all of <see cref="Alpha"/>, or what the exact tests do not spend.</summary>
    internal double ReserveAlpha => SpendingLooks is null ? Alpha : Alpha * (1 - SpendingShare);

    /// <summary>Gets the α the exact tests spend over their looks (0 without them).</summary>
    internal double SpendingAlpha => SpendingLooks is null ? 0 : Alpha * SpendingShare;

    /// <summary>
    /// A new exact test for an endpoint with this share of the weight, or null without spending; with history, its α is what
    /// the endpoint's history test does not take (<paramref name="historyShare"/>).
    /// </summary>
    internal GroupSequentialSplitEvidence? EndpointSpending(double weight, double historyShare = 0) =>
        SpendingLooks is { } looks && weight > 0 ? new GroupSequentialSplitEvidence(SpendingAlpha * (1 - ServiceWideShare) * weight * (1 - historyShare), looks, spendingExponent: SpendingExponent) : null;

    /// <summary>A new service-wide exact test, or null without spending or without the service-wide test; with history, as <see cref="EndpointSpending"/>.</summary>
    internal GroupSequentialSplitEvidence? ServiceWideSpending(double historyShare = 0) =>
        SpendingLooks is { } looks && ServiceWideShare > 0 ? new GroupSequentialSplitEvidence(SpendingAlpha * ServiceWideShare * (1 - historyShare), looks, spendingExponent: SpendingExponent) : null;

    /// <summary>
    /// Gets or sets the opt-in use of the baseline's history for sparse endpoints: exact split tests of the canary's errors
    /// against the history's (with a tolerance for drift), guarded by stability checks; see <see cref="BaselineHistoryOptions"/>
    /// for what is proven. Needs <see cref="SpendingLooks"/>. The check reads the history through its traffic source.
    /// </summary>
    /// <value>The default value is null: the canary is compared with the concurrent baseline only.</value>
    public BaselineHistoryOptions? BaselineHistory { get; set; }

    /// <summary>
    /// The share of an exact test's α given to its history test when the concurrent baseline is expected to show
    /// <paramref name="expectedErrors"/> errors m over the spending looks: <see cref="BaselineHistoryOptions.Share"/> / (1 + (4 m t²)²),
    /// t the tolerance. The concurrent baseline knows its rate to a relative error of about 1/√m, the history test (with its
    /// tolerance) to about 2t: the history takes most of the α where the baseline is expected to show fewer than 1/(4t²)
    /// errors (6 at the default tolerance), little where it shows more.
    /// </summary>
    internal double HistoryShare(double expectedErrors)
    {
        if (BaselineHistory is not { } options)
        {
            return 0;
        }

        var ratio = 4 * expectedErrors * options.Tolerance * options.Tolerance;
        return options.Share / (1 + (ratio * ratio));
    }

    /// <summary>A new history test for an endpoint with this weight and history share, or null without history.</summary>
    internal GroupSequentialSplitEvidence? HistoryEndpointTest(double weight, double share) =>
        SpendingLooks is { } looks && BaselineHistory is not null && weight > 0 && share > 0
            ? new GroupSequentialSplitEvidence(SpendingAlpha * (1 - ServiceWideShare) * weight * share, looks)
            : null;

    /// <summary>
    /// A new service-wide history test with this history share, or null without history or without the service-wide test: the
    /// endpoints' split tests against their history's slices, pooled.
    /// </summary>
    internal GroupSequentialSplitEvidence? HistoryServiceWideTest(double share) =>
        SpendingLooks is { } looks && BaselineHistory is not null && ServiceWideShare > 0 && share > 0 ? new GroupSequentialSplitEvidence(SpendingAlpha * ServiceWideShare * share, looks) : null;

    /// <summary>
    /// Gets or sets a value indicating whether each window's likelihood ratios are tempered for errors that arrive in bursts
    /// (one client's retries, one sticky pod): raised to 1/φ, with φ an estimate of how many errors arrive together.
    /// </summary>
    /// <remarks>
    /// <para>The exact ratios assume that a window's errors split between the versions independently, each landing in the canary
    /// with its share s of the requests. A burst of B errors landing together multiplies the ratio of one error B times:
    /// LR₁^B, whose mean under equal rates is far above 1 (s(ρ/(1 + s(ρ − 1)))^B alone: 6.7 × 10⁴ for s = 5 %, ρ = 100,
    /// B = 5), so a healthy canary hit by one burst fails. Tempered, a window's ratio is the product over its clusters of
    /// LR₁^(B/φ); when φ is at least every cluster's size each exponent is at most 1, so each factor has mean at most 1
    /// (Jensen), and the product too (clusters land independently given the totals): the evidence stays a test
    /// supermartingale. φ is chosen from both versions' totals only — this window's and earlier ones, never the split — as
    /// the shared-outage hedge is, so conditional validity is kept.</para>
    /// <para>φ is, until the dispersion has been estimated from about 15 errors beyond the endpoints' first windows (and at an
    /// endpoint's first window), the window's errors: a window's largest cluster cannot hold more, so this is exact whatever
    /// the bursts. Then φ is the dispersion estimated from both versions' totals of the endpoints' windows (Σ (e − r·n)² /
    /// Σ r·n: the variance-to-mean ratio, B for bursts of B, 1 for independent errors; read as 1 within 2 standard errors
    /// of 1, so its noise costs no power on independent errors), at least
    /// <see cref="MinimumErrorDispersion"/> — for every window, however few its errors, because a version with fewer requests
    /// in a window than a burst holds gets smaller bursts more often (a cluster of c &lt; B landing in the canary is weighted
    /// c/φ, as its share of the errors requires) — and at least the window's errors when they are a burst of their own (more
    /// than the endpoint's usual rate, one error more than seen, and the estimate explain at 1 %). Validity is then exact for
    /// those windows and approximate for the others: the estimate is the size-biased mean cluster size, not the largest, and
    /// it may trail a change in the clustering. With bursts, the shared-outage threshold's excess is counted in bursts of the
    /// estimated size, and an outage flagged on a minority of the endpoints counts in the estimate (a burst), one on most of
    /// them does not. A regression barely moves the estimate (a sum of Poisson counts is Poisson); on independent errors it
    /// stays near 1, so the tempering costs little power there. Bursts spread over several windows, or over several
    /// endpoints at once (a whole pod failing), are outside what it corrects.</para>
    /// <para>The non-inferiority bound a Pass rests on (<see cref="NonInferiorityMargin"/>) reads each endpoint's counts with the
    /// same estimate (counts / φ, widening it by about √φ); until the estimate exists, with the size-biased mean of the
    /// endpoint's window errors (every window's errors one burst). So, with the estimate on, a single look with errors does not
    /// prove the margin either; false takes the errors as independent for the bound too.</para>
    /// </remarks>
    /// <value>The default value is true; false keeps the exact ratios (tempered only by <see cref="MinimumErrorDispersion"/>).</value>
    public bool EstimateErrorDispersion { get; set; } = true;

    /// <summary>
    /// Gets or sets the smallest dispersion φ a window with errors is tempered by: set it to the known size of error bursts
    /// (say 3 when every failed call is retried twice) to be valid from the first window.
    /// </summary>
    /// <value>The default value is 1.</value>
    public double MinimumErrorDispersion { get; set; } = 1;

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

        if (SpendingLooks is { } looks && !(looks >= 1 && SpendingShare is > 0 and < 1))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria needs SpendingLooks null or ≥ 1 and SpendingShare strictly between 0 and 1, not {looks} and {SpendingShare}."));
        }

        if (!(SpendingExponent is > 0 and <= 10))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.SpendingExponent must be greater than 0 and at most 10, not {SpendingExponent}."));
        }

        if (!(MinimumErrorDispersion >= 1 && double.IsFinite(MinimumErrorDispersion)))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.MinimumErrorDispersion must be a finite number ≥ 1, not {MinimumErrorDispersion}."));
        }

        if (BaselineHistory is { } history)
        {
            history.Validate();
            if (SpendingLooks is null)
            {
                throw new ArgumentException("SequentialErrorRateCriteria.BaselineHistory needs SpendingLooks: the history tests spend part of the exact tests' α.");
            }
        }

        if (CanaryOnlyMaximumErrorRate is { } limit && !(limit is > 0 and <= 0.5))
        {
            throw new ArgumentException(Invariant($"SequentialErrorRateCriteria.CanaryOnlyMaximumErrorRate must be null or in (0, 0.5], not {limit}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
