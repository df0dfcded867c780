using Canary.Analysis.Evaluation;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// The one place the linter resolves endpoint weights: which endpoints of the expected traffic a check's weights judge.
/// It uses <see cref="EndpointWeights.Resolve(IEnumerable{KeyValuePair{string, double}})"/>, the resolution every evaluator uses.
/// </summary>
internal static class LintWeights
{
    /// <summary>
    /// The endpoints (with their expected rates) a check with these weights judges: every endpoint with a positive static
    /// weight, or, when weighting by traffic, all endpoints together (those not listed with weight 0) as one aggregate.
    /// </summary>
    public static IEnumerable<(string Endpoint, double Rate)> Judged(EndpointWeights weights, IReadOnlyDictionary<string, double> rates)
    {
        // Expected endpoints the context gives no rate for are not the linter's to guess: only the rates given are judged.
        var judged = weights.Resolve(rates).Where(w => !w.IsExcluded && rates.ContainsKey(w.Endpoint)).Select(w => (w.Endpoint, Rate: rates[w.Endpoint]));
        return weights.Mode == EndpointWeightingMode.TrafficWeighted
            ? [("all endpoints together", judged.Sum(j => j.Rate))]
            : judged;
    }

    /// <summary>Whether the weights are explicit, with at least one endpoint listed with a positive weight.</summary>
    public static bool AreExplicit(EndpointWeights? weights) =>
        weights is { Mode: EndpointWeightingMode.Explicit } w && w.Any(e => e.Value > 0);
}
