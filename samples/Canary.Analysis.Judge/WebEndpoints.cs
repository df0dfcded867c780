using Canary.Analysis.Evaluation;
using Canary.Analysis.Metrics;

namespace Canary.Analysis.Judge;

/// <summary>
/// The endpoint for Argo Rollouts' web metric provider: <c>GET /web/{policy}/{key}</c> (or POST) runs one look of the
/// policy's checks for the AnalysisRun <c>key</c> names, and answers
/// <c>{"verdict": "Pass|Fail|Inconclusive", "value": …, "reason": …, "checks": […]}</c>. Optional query:
/// <c>step</c> (only that analysis step's checks), <c>canary</c> / <c>baseline</c> (scope values replacing the policy's
/// version label, as for the kayenta provider) and <c>namespace</c>.
/// </summary>
/// <remarks>
/// <c>value</c> is 100 when every check passes and 0 otherwise: a condition on it cannot pass an Inconclusive look. A failure
/// to read metrics answers 502 (Argo records an Error measurement), never a verdict.
/// </remarks>
internal static class WebEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapMethods("/web/{policy}/{key}", ["GET", "POST"], async (string policy, string key, string? step, string? canary, string? baseline, string? @namespace,
            PolicySources sources, WebAnalyses analyses, CancellationToken cancellationToken) =>
        {
            if (sources.Find(policy) is not { } document)
            {
                return Results.NotFound(new { message = $"No policy is named '{policy}'; the policies are {string.Join(", ", sources.Catalog.Documents.Select(d => d.Name))}." });
            }

            var selectors = ScopeSelectors.Of(document);
            var experiment = canary is null && @namespace is null ? selectors.Canary : selectors.Experiment(canary ?? Value(selectors.Canary, selectors.Label), @namespace);
            var control = baseline is null && @namespace is null ? selectors.Baseline : selectors.Control(baseline ?? Value(selectors.Baseline, selectors.Label), @namespace);
            var scopes = $"canary {{{experiment}}}, baseline {{{control}}}";
            var analysis = analyses.GetOrCreate(document, key, () =>
                new WebAnalysis(PolicyCheck.Of(document.Build(new ScopedTrafficSource(sources.SourceFor(document), selectors, experiment, control, window: null))), scopes, analyses.Now));
            if (analysis is null)
            {
                return Results.Json(new { message = $"The judge holds {WebAnalyses.MaximumAnalyses} analyses; retry later." }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (analysis.Scopes != scopes)
            {
                return Results.Conflict(new { message = $"The analysis '{key}' of '{policy}' reads {analysis.Scopes}, not {scopes}: use another key for other versions." });
            }

            var selected = step is null ? analysis.Checks : analysis.Checks.Where(c => c.Steps.Contains(step)).ToList();
            if (selected.Count == 0)
            {
                return Results.NotFound(new { message = $"The policy '{policy}' has no analysis step '{step}' with checks." });
            }

            IReadOnlyList<JudgedCheck> checks;
            try
            {
                checks = await analysis.LookAsync(selected, analyses.Now, cancellationToken);
            }
            catch (MetricQueryException e)
            {
                return Results.Json(new { message = e.Message }, statusCode: StatusCodes.Status502BadGateway);
            }

            var verdict = PolicyCheck.Combine(checks.Select(c => Enum.Parse<Verdict>(c.Verdict)));
            var reason = string.Join("; ", checks.Where(c => verdict == Verdict.Pass || c.Verdict != nameof(Verdict.Pass)).Select(c => $"{c.Name}: {c.Verdict} — {c.Reason.TrimEnd('.')}"));
            return Results.Json(new { verdict = verdict.ToString(), value = verdict == Verdict.Pass ? 100 : 0, reason, look = analysis.Looks, checks });
        });
    }

    private static string Value(Canary.Analysis.Traffic.LabelSelector selector, string label) =>
        selector.Matchers.FirstOrDefault(m => m.Name == label)?.Value ?? "";
}
