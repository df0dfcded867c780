namespace Canary.Analysis.Evaluation;

/// <summary>How endpoints are weighted when their success rates are combined.</summary>
public enum EndpointWeightingMode
{
    /// <summary>
    /// Each endpoint counts as much as its listed weight says; endpoints not listed get
    /// <see cref="EndpointWeights.DefaultWeight"/> (0 leaves them out). Weights are relative.
    /// </summary>
    Explicit,

    /// <summary>Every endpoint counts the same; endpoints listed with weight 0 are left out.</summary>
    Equal,

    /// <summary>
    /// Each endpoint counts as much as its traffic: the result equals the plain aggregate
    /// <c>Σ successes / Σ requests</c>, for comparison with traffic-weighted rules. Endpoints listed with weight 0 are left out.
    /// </summary>
    TrafficWeighted,
}
