using Canary.Analysis.Evaluation.Internal;

namespace Canary.Analysis.Evaluation;

/// <summary>What <see cref="ErrorRateComparisonEvaluator"/> judges: which endpoints, at what α, with which fixed-sample test.</summary>
public sealed class ErrorRateComparisonCriteria : ITrafficCriteria
{
    /// <summary>
    /// Gets or sets how endpoints are weighted: the check's α is split among the judged endpoints by weight (a weighted
    /// Bonferroni split), so an endpoint that matters more is tested at a larger share of α.
    /// </summary>
    /// <value>The default value is <see cref="EndpointWeights.Equal"/>. Traffic weighting is not supported.</value>
    public EndpointWeights Weights { get; set; } = EndpointWeights.Equal();

    /// <summary>Gets or sets the probability of failing a canary whose error rates equal the baseline's, at one look.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Gets or sets the canary requests every judged endpoint needs before the check can pass.</summary>
    /// <value>The default value is 50.</value>
    public double MinimumRequestsPerEndpoint { get; set; } = 50;

    /// <summary>
    /// Gets or sets a value indicating whether each endpoint is tested with Fisher's exact test (R's <c>fisher.test</c>),
    /// exact on the sparse counts of rare endpoints, which may then fail below <see cref="MinimumRequestsPerEndpoint"/>; false
    /// uses the chi-squared test with continuity correction (R's <c>prop.test</c>), a large-sample approximation that only
    /// judges endpoints with enough requests.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool Exact { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether data the source marked as a partial response may still be judged. Unreachable
    /// targets and missing data always make the result Inconclusive.
    /// </summary>
    /// <value>The default value is false: a snapshot with any gap is Inconclusive, naming the gaps.</value>
    public bool AllowPartialResponses { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        CriteriaRules.RequireAlphaSplitWeights(Weights, nameof(ErrorRateComparisonCriteria));
        CriteriaRules.RequireAlpha(Alpha, nameof(ErrorRateComparisonCriteria));
        CriteriaRules.RequireMinimumRequests(MinimumRequestsPerEndpoint, nameof(ErrorRateComparisonCriteria));
    }
}
