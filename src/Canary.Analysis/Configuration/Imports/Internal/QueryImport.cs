using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Imports one metric whose measurement is a PromQL query and whose verdict is a threshold on its value (Argo's and Flagger's
/// metrics): recognises the query, keeps the document to one convention, reports an <c>or vector(N)</c> fallback, and adds the
/// check; what it cannot import is an Error finding naming the query's path.
/// </summary>
internal sealed class QueryImport(PolicyDraft draft, FindingCollector findings)
{
    /// <summary>What the document's check kinds are, for the findings of queries they cannot judge.</summary>
    public const string NoQueryKind =
        "the document has no check kind for an arbitrary query (its kinds judge request metrics: success-rate, latency, sequential-error-rate, sequential-latency); "
        + "judge it with the library's QueryCheck from C#, or write it as a convention's success rate or latency";

    /// <summary>Imports the metric.</summary>
    /// <returns>The check's name and the recognised query, or null when the metric is not imported (an Error finding says why).</returns>
    public (string Name, RecognizedQuery Query)? Import(string name, string query, string queryPath, PassCondition pass, string conditionPath)
    {
        var (recognized, problem) = QueryRecognizer.Recognize(query);
        if (recognized is null)
        {
            findings.Error(queryPath, $"not imported: {problem}; {NoQueryKind}");
            return null;
        }

        if (recognized.NoDataValue is { } fallback)
        {
            var passes = Passes(pass, fallback);
            findings.Add(passes ? ImportSeverity.Error : ImportSeverity.Warning, queryPath, passes
                ? $"'or vector({CheckMapper.Number(fallback)})' answers {CheckMapper.Number(fallback)} when there is no data, which passes '{pass}': the source passes a canary that receives no traffic (fluxcd/flagger#1353); the imported check is Inconclusive without data"
                : $"'or vector({CheckMapper.Number(fallback)})' answers {CheckMapper.Number(fallback)} when there is no data, which fails '{pass}': the imported check is Inconclusive without data instead");
        }

        if (Convention(recognized, queryPath) is not { } convention)
        {
            return null;
        }

        var window = PrometheusDuration.Parse(recognized.Range) is null ? null : recognized.Range;
        if (window is null)
        {
            findings.Warning(queryPath, $"its range '{recognized.Range}' is not a duration: the check reads the default window (15m)");
        }

        var (check, mapProblem) = CheckMapper.Map(SourceNodes.Slug(name), recognized, convention, pass, window);
        if (check is null)
        {
            findings.Error(conditionPath, $"not imported: {mapProblem}");
            return null;
        }

        foreach (var note in recognized.Notes)
        {
            findings.Warning(queryPath, $"mapped approximately: {note}");
        }

        draft.Convention = convention;
        return (draft.AddCheck(check), recognized);
    }

    /// <summary>The convention the query reads, when it is the document's (or the document has none yet); otherwise an Error finding.</summary>
    public TrafficConvention? Convention(RecognizedQuery recognized, string queryPath)
    {
        var convention = draft.Convention is { } chosen && recognized.Conventions.Contains(chosen) ? chosen : recognized.Conventions[0];
        if (draft.Convention is not null && draft.Convention != convention)
        {
            findings.Error(queryPath, $"not imported: it reads the {convention.Name} convention's metrics, and a document reads one convention ({draft.Convention.Name}, from an earlier metric)");
            return null;
        }

        if (draft.Convention is null && recognized.Conventions.Count > 1)
        {
            findings.Warning(queryPath, $"its metric is read by several convention presets ({string.Join(", ", recognized.Conventions.Select(c => c.Name))}): the document uses {convention.Name}");
        }

        return convention;
    }

    /// <summary>
    /// Makes the query's own matchers the canary's selector when nothing chose one yet, and reports a query that selects
    /// something else than the selector every check reads.
    /// </summary>
    public void AdoptSelector(RecognizedQuery query, string queryPath, bool chosenByOptions)
    {
        var resolved = query.Scope.Where(m => !TemplateText.IsUnresolved(m.Value)).ToList();
        foreach (var unresolved in query.Scope.Except(resolved))
        {
            findings.Warning(queryPath, $"selects {unresolved.Name} by a placeholder without a value ({unresolved.Value}): the canary's selector leaves it out{(unresolved.Name == "rollouts_pod_template_hash" ? " (a pod-template hash changes with every revision: select the canary by a label of its own, e.g. version=\"canary\")" : "")}");
        }

        var selector = string.Join(",", resolved);
        if (chosenByOptions || resolved.Count == 0 || !LabelSelector.TryParse(selector, out var parsed) || parsed.Matchers.Count == 0)
        {
            return;
        }

        if (draft.Canary is null)
        {
            draft.Canary = parsed.ToString();
            findings.Warning(queryPath, $"the canary's selector is the query's: {draft.Canary}; if it selects the stable pods too, every check judges the whole service, not the canary (set PolicyImportOptions.Canary)");
        }
        else if (!LabelSelector.Parse(draft.Canary).Equals(parsed))
        {
            findings.Warning(queryPath, $"selects {parsed}; the document selects the canary with {draft.Canary} for every check");
        }
    }

    public static bool Passes(PassCondition pass, double value) => pass.Operator switch
    {
        ">=" => value >= pass.Threshold,
        ">" => value > pass.Threshold,
        "<=" => value <= pass.Threshold,
        _ => value < pass.Threshold,
    };
}
