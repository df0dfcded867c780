using Canary.Analysis.Configuration.Internal;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Imports a Kayenta canary config: each Prometheus metric that is a convention's error measure becomes a comparison of the
/// canary's error rate with the baseline's (<c>sequential-error-rate</c>), each latency metric a <c>latency</c> comparison
/// (<c>maximumIncrease</c> from <c>allowedIncrease</c>) or, without an effect size, a <c>sequential-latency</c> test; the label a
/// query fills with <c>${scope}</c> tells canary from baseline. Semantics as in <c>reference/kayenta.md</c> §1–3.
/// </summary>
internal sealed class KayentaImporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private const int Looks = 60;

    private readonly FindingCollector _findings;
    private readonly PolicyImportOptions _options;
    private readonly PolicyDraft _draft;
    private readonly QueryImport _queries;
    private readonly DocumentNode _config;
    private string? _scopeLabel;
    private List<PromQlMatcher>? _shared;

    private KayentaImporter(FindingCollector findings, PolicyImportOptions options, string name, DocumentNode config)
    {
        _findings = findings;
        _options = options;
        _config = config;
        _draft = new PolicyDraft(name) { Canary = options.Canary, Baseline = options.Baseline };
        _queries = new QueryImport(_draft, findings);
    }

    public static ImportResult Import(string text, string origin, PolicyImportOptions options)
    {
        var config = ImportInput.ReadJson(text, origin);
        if (config.Child("metrics") is not SequenceNode)
        {
            throw ImportInput.Refuse(origin, "is not a Kayenta canary config: it has no 'metrics' list");
        }

        var configName = config.Child("name").Text() ?? "imported";
        var findings = new FindingCollector(origin) { Source = $"CanaryConfig/{configName}" };
        var name = options.Name ?? SourceNodes.Slug(configName);
        if (options.Name is null && name != configName)
        {
            findings.Info(config.PathOf("name"), $"the policy's name is '{name}' (lower case, dashes)");
        }

        var importer = new KayentaImporter(findings, options, name, config);
        importer.ImportConfig();
        return PolicyDraftWriter.Finish(importer._draft, findings, "Kayenta");
    }

    private void ImportConfig()
    {
        if (_config.At("judge", "name").Text() is { } judge && judge != "NetflixACAJudge-v1.0")
        {
            _findings.Warning(_config.At("judge", "name")!.Path, $"the judge '{judge}' is not Kayenta's NetflixACAJudge-v1.0: its rules are not known here; the metrics are imported as that judge reads them");
        }

        var checks = new List<string>();
        foreach (var metric in _config.Child("metrics").Items())
        {
            if (Metric(metric) is { } check)
            {
                checks.Add(check);
            }
        }

        if (_config.At("classifier", "groupWeights") is { } weights && weights.Entries().Count > 0)
        {
            _findings.Warning(weights.Path, "not imported: the document has no weights per metric group; every check decides (a failed check fails the step), which is at least as strict as a weighted score. The document's weights weigh endpoints, not metrics");
        }

        if (_config.At("classifier", "scoreThresholds") is { } thresholds)
        {
            _findings.Info(thresholds.Path, "not imported: there is no score to threshold; each check passes, fails or is Inconclusive (the judge sample turns that into a score for Argo's kayenta provider)");
        }

        _config.ReportOthers(_findings, ImportSeverity.Info, "not read: it does not change what is judged",
            "name", "judge", "metrics", "classifier", "templates", "id", "description");
        if (_scopeLabel is null && _options.Canary is null)
        {
            _findings.Warning("", "no query fills a label with ${scope}: the canary and baseline select version=\"canary\" and version=\"baseline\" (the judge sample replaces the values with each request's scopes)");
            _draft.Canary = "version=\"canary\"";
            _draft.Baseline ??= "version=\"baseline\"";
        }

        if (checks.Count > 0 && _draft.Baseline is null)
        {
            _findings.Warning("", "no baseline selector (PolicyImportOptions.Baseline): the comparisons select it with version=\"baseline\"");
            _draft.Baseline = "version=\"baseline\"";
        }

        if (checks.Count > 0)
        {
            _findings.Warning("", FormattableString.Invariant($"a canary config has no steps (the lifetime and interval come with each execution request): the policy looks every {PrometheusDuration.Format(Interval)} for {PrometheusDuration.Format(Interval * Looks)}; edit its steps"));
            _draft.Steps.Add(new AnalysisDraft("kayenta", Interval, Looks, checks));
        }
    }

    private string? Metric(DocumentNode metric)
    {
        var name = metric.Child("name").Text() ?? "metric";
        var canary = metric.At("analysisConfigurations", "canary");
        if (canary.Child("muted").IsTrue())
        {
            _findings.Info(metric.Path, "not imported: a muted metric does not count in Kayenta's score");
            return null;
        }

        var query = metric.Child("query");
        if (query.Child("type").Text() is var type && type != "prometheus")
        {
            _findings.Error(query?.PathOf("type") ?? metric.PathOf("query"), $"not imported: the {type ?? "missing"} query type; the document's checks read Prometheus only");
            return null;
        }

        if (Expression(query!) is not var (promQl, queryPath))
        {
            return null;
        }

        var (filled, _) = TemplateText.Fill(promQl, _ => null);
        var (recognized, problem) = QueryRecognizer.Recognize(filled);
        if (recognized is null || _queries.Convention(recognized, queryPath) is not { } convention)
        {
            if (recognized is null)
            {
                _findings.Error(queryPath, $"not imported: {problem}; {QueryImport.NoQueryKind}");
            }

            return null;
        }

        foreach (var note in recognized.Notes)
        {
            _findings.Warning(queryPath, $"mapped approximately: {note}");
        }

        var check = Check(name, recognized, canary, metric);
        if (check is null)
        {
            return null;
        }

        Options(canary, metric);
        Scope(recognized, queryPath);
        _draft.Convention = convention;
        return _draft.AddCheck(check);
    }

    /// <summary>The metric's PromQL: a <c>PromQL:</c> inline template (or named template); a bare metric name is Kayenta's <c>avg(metric{…})</c>.</summary>
    private (string Query, string Path)? Expression(DocumentNode query)
    {
        if (query.Child("customInlineTemplate") is { } inline && inline.Text() is { } inlineText && inlineText.StartsWith("PromQL:", StringComparison.Ordinal))
        {
            return (inlineText[7..], inline.Path);
        }

        if (query.Child("customFilterTemplate").Text() is { } templateName && _config.At("templates", templateName).Text() is { } template && template.StartsWith("PromQL:", StringComparison.Ordinal))
        {
            return (template[7..], _config.At("templates", templateName)!.Path);
        }

        _findings.Error(query.Child("metricName")?.Path ?? query.Path,
            $"not imported: Kayenta compares avg({query.Child("metricName").Text() ?? "metric"}{{…}}) over time, an arbitrary series; {QueryImport.NoQueryKind}");
        return null;
    }

    private CheckDraft? Check(string name, RecognizedQuery query, DocumentNode? canary, DocumentNode metric)
    {
        var direction = canary.Child("direction").Text() ?? "either";
        var directionPath = canary?.PathOf("direction") ?? metric.PathOf("analysisConfigurations");
        var effect = canary.Child("effectSize");
        var slug = SourceNodes.Slug(name);
        if (query.Shape is QueryShape.SuccessRatio or QueryShape.ErrorCount)
        {
            // Worse is more errors: an error measure increasing, a success measure decreasing.
            var errorsGrow = query.Shape == QueryShape.ErrorCount || query.Scale < 0;
            var worse = errorsGrow ? "increase" : "decrease";
            if (direction != worse && direction != "either")
            {
                _findings.Error(directionPath, $"not imported: direction {direction} fails a canary with fewer errors");
                return null;
            }

            if (direction == "either")
            {
                _findings.Warning(directionPath, $"direction either: Kayenta also fails a canary that is better; the comparison fails only a canary with more errors ({worse} of this measure)");
            }

            if (query.Shape == QueryShape.ErrorCount)
            {
                _findings.Warning(metric.PathOf("query"), "Kayenta compared errors per second (canary and baseline of the same size); the check compares the share of requests that fail, whatever the traffic");
            }

            if (effect is not null)
            {
                _findings.Warning(effect.Path, "not imported: the sequential test fails on evidence of any higher error rate and passes once the canary is shown at most 1 point worse (nonInferiorityMargin)");
            }

            if (_draft.Checks.Any(c => c.Kind == "sequential-error-rate"))
            {
                _findings.Warning(metric.PathOf("query"), "a second comparison of the error rate: each spends its own α (0.05), so together they roll back a healthy canary up to twice as often; keep one");
            }

            return new CheckDraft(slug, "sequential-error-rate", []);
        }

        if (direction == "decrease")
        {
            _findings.Error(directionPath, "not imported: direction decrease fails a faster canary");
            return null;
        }

        if (direction == "either")
        {
            _findings.Warning(directionPath, "direction either: Kayenta also fails a faster canary; the comparison fails only a slower one");
        }

        var measure = query.Shape == QueryShape.LatencyQuantile ? new KeyValuePair<string, string>("quantile", CheckMapper.Number(query.Quantile)) : new("measure", "mean");
        var window = PrometheusDuration.Parse(query.Range) is null ? [] : new[] { new KeyValuePair<string, string>("window", query.Range) };
        if (effect.Child("measure").Text() is "cles")
        {
            _findings.Warning(effect!.PathOf("measure"), "not imported: a common-language effect size; the latency check compares the measure itself");
        }
        else if (effect.Child("allowedIncrease").Number() is { } allowed and > 1)
        {
            return new CheckDraft(slug, "latency", [measure, new("maximumIncrease", CheckMapper.Number(Math.Round(allowed - 1, 12))), .. window]);
        }

        var quantile = query.Shape == QueryShape.LatencyQuantile ? query.Quantile : 0.99;
        _findings.Warning(effect?.Path ?? canary?.Path ?? metric.Path, $"no allowedIncrease above 1: Kayenta fails any significant increase; the sequential latency test compares the share of canary requests slower than the baseline's p{CheckMapper.Number(quantile * 100)} with the baseline's");
        return new CheckDraft(slug, "sequential-latency", [new("baselineQuantile", CheckMapper.Number(quantile))]);
    }

    private void Options(DocumentNode? canary, DocumentNode metric)
    {
        if (canary.Child("nanStrategy").Text() == "replace")
        {
            _findings.Error(canary!.PathOf("nanStrategy"), "nanStrategy replace turns missing data into zeros, and Kayenta passes a metric whose canary has no data: the source passes a canary without traffic; the imported check is Inconclusive without data");
        }

        if (!canary.Child("critical").IsTrue())
        {
            _findings.Warning(canary?.Path ?? metric.PathOf("analysisConfigurations"), "not critical in Kayenta (it only lowers the score); here every check decides: a failed check fails the step");
        }

        if (canary.Child("mustHaveData").IsTrue())
        {
            _findings.Info(canary!.PathOf("mustHaveData"), "imported as the checks' rule: they never pass without data");
        }

        if (canary.Child("outliers") is { } outliers)
        {
            _findings.Warning(outliers.Path, "not imported: outlier removal (the checks read request counts, not time series)");
        }

        if (metric.Child("scopeName").Text() is { } scope && scope != "default")
        {
            _findings.Warning(metric.PathOf("scopeName"), $"the scope '{scope}' is read as the default scope");
        }

        if (canary.At("effectSize", "criticalIncrease") is { } critical)
        {
            _findings.Info(critical.Path, "not imported: every failed check fails the step, critical or not");
        }
    }

    /// <summary>The canary and baseline selectors: the label the query fills with <c>${scope}</c>, and its other fixed matchers.</summary>
    private void Scope(RecognizedQuery query, string queryPath)
    {
        var scopeMatcher = query.Scope.FirstOrDefault(m => m.Operator == "=" && m.Value == $"{TemplateText.Open}scope»");
        var shared = query.Scope.Where(m => m != scopeMatcher && !TemplateText.IsUnresolved(m.Value)).ToList();
        foreach (var other in query.Scope.Where(m => m != scopeMatcher && TemplateText.IsUnresolved(m.Value)))
        {
            _findings.Info(queryPath, other.Value.Contains("location", StringComparison.Ordinal)
                ? $"{other.Name} takes the scope's location: the judge sample selects it as namespace"
                : $"{other.Name} is a placeholder ({other.Value}) the selectors leave out");
        }

        if (scopeMatcher is null)
        {
            return;
        }

        if (_scopeLabel is null)
        {
            (_scopeLabel, _shared) = (scopeMatcher.Name, shared);
            if (_options.Canary is null)
            {
                string Select(string value) => string.Join(",", shared.Append(new PromQlMatcher(scopeMatcher.Name, "=", value)));
                _draft.Canary = Select("canary");
                _draft.Baseline ??= Select("baseline");
                _findings.Info(queryPath, $"the scopes select {scopeMatcher.Name}: the policy's canary is {_draft.Canary} and its baseline {_draft.Baseline}, values the judge sample replaces with each request's scopes");
            }
        }
        else if (_scopeLabel != scopeMatcher.Name || !_shared!.ToHashSet().SetEquals(shared))
        {
            _findings.Warning(queryPath, $"selects the scope by {string.Join(",", shared.Append(scopeMatcher))}; the document selects canary and baseline with {_draft.Canary} and {_draft.Baseline} for every check");
        }
    }
}
