using System.Text.RegularExpressions;
using Canary.Analysis.Analysis;
using Canary.Analysis.Evaluation;
using static Canary.Analysis.Policies.Lint.LintText;

namespace Canary.Analysis.Policies.Lint;

/// <summary>
/// CNY009 (was CA009), Warning: a success rate judged as a plain aggregate (a success- or error-rate check weighted by
/// traffic, or a query check whose query divides without grouping <c>by (…)</c>) while explicit endpoint weights are
/// configured elsewhere in the policy (by any check that describes its weights). Dry-run metrics are exempt.
/// </summary>
internal sealed partial class PlainAggregateRule() : PolicyLintRule("CNY009")
{
    public override IEnumerable<LintFinding> Check(LintSubject subject)
    {
        var metrics = subject.Metrics().Select(m => (m.Metric, m.Where, m.StepIndex, Description: m.Metric.Check.Description)).ToList();
        var weighted = metrics.FirstOrDefault(m => LintWeights.AreExplicit(m.Description.Weights));
        if (weighted.Metric is null)
        {
            yield break;
        }

        foreach (var (metric, where, index, description) in metrics)
        {
            var why = metric.DryRun ? null : AggregateOf(description);
            if (why is not null)
            {
                yield return Finding(LintSeverity.Warning,
                    I($"In {where}, metric '{metric.Name}' judges the success rate as a plain aggregate ({why}), while endpoint weights are configured in {weighted.Where} (metric '{weighted.Metric.Name}'): busy endpoints drown rare ones."),
                    "Judge it per endpoint with the same EndpointWeights (a SuccessRateCheck with explicit weights, one query grouped `by (endpoint, code)`), or make it DryRun to keep it for comparison only.",
                    index);
            }
        }
    }

    /// <summary>Why the described check judges a plain aggregate, or null when it does not.</summary>
    private static string? AggregateOf(CheckDescription description) => description switch
    {
        { Judges: CheckSubject.SuccessRate or CheckSubject.ErrorRate, Weights.Mode: EndpointWeightingMode.TrafficWeighted } => "EndpointWeights.TrafficWeighted: Σ successes / Σ requests",
        { Judges: CheckSubject.Query, Query: { } query } when query.Contains('/', StringComparison.Ordinal) && !Grouped().IsMatch(query) => $"the query divides without grouping by endpoint: {query}",
        _ => null,
    };

    [GeneratedRegex(@"\b(by|without)\s*[({]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
