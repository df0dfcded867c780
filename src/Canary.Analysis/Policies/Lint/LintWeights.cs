using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// The one place the linter resolves endpoint weights: which endpoints of the expected traffic a check's weights judge.
/// It uses <see cref="EndpointWeights"/>' own static resolution (the weight an endpoint gets in modes other than traffic
/// weighting), as the evaluators and the sequential check do.
/// </summary>
internal static class LintWeights
{
    /// <summary>
    /// The endpoints (with their expected rates) a check with these weights judges: every endpoint with a positive static
    /// weight, or, when weighting by traffic, all endpoints together (those not listed with weight 0) as one aggregate.
    /// </summary>
    public static IEnumerable<(string Endpoint, double Rate)> Judged(EndpointWeights weights, IReadOnlyDictionary<string, double> rates)
    {
        if (weights.Mode == EndpointWeightingMode.TrafficWeighted)
        {
            return [("all endpoints together", rates.Where(r => weights.StaticWeightOf(r.Key) > 0).Sum(r => r.Value))];
        }

        return rates.Where(r => weights.StaticWeightOf(r.Key) > 0).Select(r => (r.Key, r.Value));
    }

    /// <summary>Whether the weights are explicit, with at least one endpoint listed with a positive weight.</summary>
    public static bool AreExplicit(EndpointWeights? weights) =>
        weights is { Mode: EndpointWeightingMode.Explicit } w && w.Any(e => e.Value > 0);
}
