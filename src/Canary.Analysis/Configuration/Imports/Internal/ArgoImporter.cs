using System.Text.RegularExpressions;
using Canary.Analysis.Configuration.Internal;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Imports Argo Rollouts manifests: <c>AnalysisTemplate</c>s and <c>ClusterAnalysisTemplate</c>s (their Prometheus metrics
/// become checks) and a <c>Rollout</c>'s <c>spec.strategy.canary</c> (its steps become steps; a background analysis runs in
/// its timed pauses). Semantics are Argo's as described in <c>reference/argo-rollouts.md</c> (conditions §2, limits §1.4).
/// </summary>
internal sealed class ArgoImporter
{
    private static readonly TimeSpan OneLook = TimeSpan.FromMinutes(1);

    private readonly FindingCollector _findings;
    private readonly PolicyImportOptions _options;
    private readonly PolicyDraft _draft;
    private readonly QueryImport _queries;
    private readonly List<(string Kind, string Name, DocumentNode Node)> _templates = [];
    private readonly Dictionary<string, string?> _rolloutArgs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string Name), List<ImportedMetric>> _imported = [];

    private ArgoImporter(FindingCollector findings, PolicyImportOptions options, string name)
    {
        _findings = findings;
        _options = options;
        _draft = new PolicyDraft(name) { Canary = options.Canary, Baseline = options.Baseline };
        _queries = new QueryImport(_draft, findings);
    }

    private sealed record ImportedMetric(string Check, TimeSpan? Interval, int? Count, int FailureLimit, int? ErrorLimit, TimeSpan? InitialDelay, string Path, string Source);

    public static ImportResult Import(string text, string origin, PolicyImportOptions options)
    {
        var roots = ImportInput.ReadYaml(text, origin);
        var findings = new FindingCollector(origin);
        DocumentNode? rollout = null;
        var templates = new List<(string, string, DocumentNode)>();
        foreach (var root in roots)
        {
            var kind = root.Child("kind").Text() ?? "";
            var name = root.At("metadata", "name").Text() ?? "";
            findings.Source = $"{kind}/{name}";
            switch (kind)
            {
                case "Rollout" when rollout is null:
                    rollout = root;
                    break;
                case "AnalysisTemplate" or "ClusterAnalysisTemplate":
                    templates.Add((kind, name, root));
                    break;
                default:
                    findings.Info("", kind == "Rollout" ? "not imported: only the first Rollout is (one policy per Rollout)" : "not read: the importer reads Rollouts and (Cluster)AnalysisTemplates");
                    break;
            }
        }

        if (rollout is null && templates.Count == 0)
        {
            throw ImportInput.Refuse(origin, "holds no Argo Rollouts Rollout, AnalysisTemplate or ClusterAnalysisTemplate");
        }

        var policyName = options.Name ?? (rollout ?? templates[0].Item3).At("metadata", "name").Text() ?? "imported";
        var importer = new ArgoImporter(findings, options, policyName);
        importer._templates.AddRange(templates);
        importer.ImportSteps(rollout);
        return PolicyDraftWriter.Finish(importer._draft, findings, "Argo Rollouts");
    }

    private void ImportSteps(DocumentNode? rollout)
    {
        if (rollout is null)
        {
            foreach (var (kind, name, _) in _templates)
            {
                _findings.Source = $"{kind}/{name}";
                _findings.Warning("", "no Rollout in the input: the template becomes one analysis step (give the Rollout too to import its steps)");
                _draft.Steps.Add((StepDraft?)Analysis([(kind, name)], SourceNodes.Slug(name), $"{kind}/{name}", "") ?? new PauseDraft(null));
            }

            return;
        }

        _findings.Source = $"Rollout/{rollout.At("metadata", "name").Text()}";
        var spec = rollout.Child("spec");
        if (spec.At("strategy", "blueGreen") is { } blueGreen)
        {
            _findings.Error(blueGreen.Path, "not imported: a blue-green strategy (its pre- and post-promotion analyses); the document's steps are a canary's");
        }

        var canary = spec.At("strategy", "canary");
        if (canary is null)
        {
            return;
        }

        if (canary.Child("trafficRouting") is null && spec.Child("replicas").Integer() is { } replicas and > 0)
        {
            _draft.Replicas = replicas;
        }

        ReadArgs(canary.At("analysis", "args"));
        foreach (var step in canary.Child("steps").Items())
        {
            ReadArgs(step.At("analysis", "args"));
        }

        canary.ReportOthers(_findings, ImportSeverity.Info, "not read: it does not change what is judged", "steps", "analysis");
        var byIndex = new List<StepDraft?>();
        foreach (var step in canary.Child("steps").Items())
        {
            byIndex.Add(Step(step));
        }

        if (canary.Child("analysis") is { } background)
        {
            Background(background, byIndex);
        }

        _draft.Steps.AddRange(byIndex.OfType<StepDraft>());
    }

    private StepDraft? Step(DocumentNode step)
    {
        if (step.Entries() is not [var (kind, value)])
        {
            _findings.Warning(step.Path, "not read: a step is one of setWeight, pause, analysis, experiment, …");
            return null;
        }

        switch (kind)
        {
            case "setWeight":
                if (value.Integer() is { } weight and >= 0 and <= 100)
                {
                    return new SetWeightDraft(weight);
                }

                _findings.Warning(value.Path, "not read: not a whole number from 0 to 100");
                return null;
            case "pause":
                return new PauseDraft(value.Child("duration") is { } duration ? ArgoDuration(duration) : null);
            case "analysis":
                var references = value.Child("templates").Items()
                    .Select(t => (t.Child("clusterScope").IsTrue() ? "ClusterAnalysisTemplate" : "AnalysisTemplate", t.Child("templateName").Text() ?? ""))
                    .ToList();
                value.ReportOthers(_findings, ImportSeverity.Warning, "not imported: the importer reads an analysis step's templates and args", "templates", "args");
                return Analysis(references, SourceNodes.Slug(string.Join("-", references.Select(r => r.Item2))), _findings.Source, value.Path) is { } analysis
                    ? analysis
                    : new PauseDraft(null);
            case "experiment":
                _findings.Error(value.Path, "not imported: an experiment step (its ReplicaSets and analyses); the policy goes on without it");
                return null;
            default:
                _findings.Warning(value.Path, $"not imported: a {kind} step changes routing, which the document does not model");
                return null;
        }
    }

    /// <summary>Runs a background analysis in the timed pauses from its starting step on, each pause becoming an analysis step of its length.</summary>
    private void Background(DocumentNode background, List<StepDraft?> steps)
    {
        var references = background.Child("templates").Items()
            .Select(t => (t.Child("clusterScope").IsTrue() ? "ClusterAnalysisTemplate" : "AnalysisTemplate", t.Child("templateName").Text() ?? ""))
            .ToList();
        var metrics = Metrics(references, background.Path);
        var rolloutSource = _findings.Source;
        if (metrics.Count == 0)
        {
            return;
        }

        var start = Math.Max(0, background.Child("startingStep").Integer() ?? 0);
        var first = metrics[0];
        var interval = first.Interval ?? OneLook;
        var ran = false;
        for (var i = start; i < steps.Count; i++)
        {
            if (steps[i] is PauseDraft { Duration: { } length })
            {
                var count = (int)Math.Max(1, length.Ticks / interval.Ticks);
                if (length.Ticks % interval.Ticks != 0)
                {
                    _findings.Warning(DocumentPath.Index(DocumentPath.Key(background.Path[..^".analysis".Length], "steps"), i), $"the pause of {PrometheusDuration.Format(length)} is not a whole number of the background analysis's intervals ({PrometheusDuration.Format(interval)}): the analysis step lasts {PrometheusDuration.Format(interval * count)}");
                }

                steps[i] = new AnalysisDraft(FormattableString.Invariant($"background-{i}"), interval, count, metrics.Select(m => m.Check).Distinct().ToList())
                {
                    FailureLimit = Math.Min(first.FailureLimit, count - 1),
                    ConsecutiveErrorLimit = first.ErrorLimit,
                };
                ran = true;
            }
            else if (steps[i] is PauseDraft)
            {
                _findings.Warning(DocumentPath.Index(DocumentPath.Key(background.Path[..^".analysis".Length], "steps"), i), "Argo's background analysis keeps measuring during this pause for a human; the imported pause judges nothing");
            }
        }

        _findings.Source = rolloutSource;
        if (!ran)
        {
            _findings.Error(background.Path, FormattableString.Invariant($"not imported: the background analysis has no timed pause from step {start} on to run in"));
        }
        else
        {
            _findings.Warning(background.Path, FormattableString.Invariant($"the background analysis runs in each timed pause from step {start} on, as an analysis step of the pause's length (not during weight changes or pauses for a human){(first.FailureLimit > 0 ? "; its failureLimit applies to each step, not to the whole rollout" : "")}"));
        }
    }

    private AnalysisDraft? Analysis(List<(string Kind, string Name)> references, string name, string source, string path)
    {
        var metrics = Metrics(references, path);
        _findings.Source = source;
        if (metrics.Count == 0)
        {
            _findings.Warning(path, "the analysis has no check to import: it becomes a pause for a human");
            return null;
        }

        foreach (var endless in metrics.Where(m => m.Interval is not null && m.Count is null))
        {
            _findings.Source = endless.Source;
            _findings.Error(DocumentPath.Key(endless.Path, "count"), "an interval without a count measures until the run is terminated: in a step, Argo never completes it; imported as one look");
        }

        foreach (var once in metrics.Where(m => m.Interval is null))
        {
            _findings.Source = once.Source;
            _findings.Warning(DocumentPath.Key(once.Path, "interval"), $"Argo measures once, at the start of the step; the imported step looks once, {PrometheusDuration.Format(OneLook)} in");
        }

        var first = metrics[0];
        var interval = first.Interval ?? OneLook;
        var count = first.Count ?? 1;
        foreach (var metric in metrics.Skip(1).Where(m => (m.Interval ?? OneLook, m.Count ?? 1, m.FailureLimit) != (interval, count, first.FailureLimit)))
        {
            _findings.Source = metric.Source;
            _findings.Warning(metric.Path, FormattableString.Invariant($"looks every {PrometheusDuration.Format(metric.Interval ?? OneLook)}, {metric.Count ?? 1} time(s), failureLimit {metric.FailureLimit}; the step's checks all look every {PrometheusDuration.Format(interval)}, {count} time(s), failureLimit {first.FailureLimit} (the first metric's)"));
        }

        _findings.Source = source;
        return new AnalysisDraft(name, interval, count, metrics.Select(m => m.Check).Distinct().ToList())
        {
            FailureLimit = Math.Min(first.FailureLimit, count - 1),
            ConsecutiveErrorLimit = first.ErrorLimit,
            InitialDelay = first.InitialDelay,
        };
    }

    private List<ImportedMetric> Metrics(List<(string Kind, string Name)> references, string path)
    {
        var metrics = new List<ImportedMetric>();
        foreach (var reference in references)
        {
            if (!_imported.TryGetValue(reference, out var imported))
            {
                var template = _templates.FirstOrDefault(t => t.Kind == reference.Kind && t.Name == reference.Name);
                if (template.Node is null)
                {
                    _findings.Error(path, $"not imported: the {reference.Kind} '{reference.Name}' is not in the input (give it too)");
                    continue;
                }

                imported = _imported[reference] = ImportTemplate(template.Kind, template.Name, template.Node);
            }

            metrics.AddRange(imported);
        }

        return metrics;
    }

    private List<ImportedMetric> ImportTemplate(string kind, string name, DocumentNode template)
    {
        var saved = _findings.Source;
        _findings.Source = $"{kind}/{name}";
        var spec = template.Child("spec");
        var defaults = spec.Child("args").Items().Where(a => a.Child("name").Text() is not null)
            .ToDictionary(a => a.Child("name").Text()!, a => a.Child("value").Text(), StringComparer.Ordinal);
        string? Arg(string placeholder) => placeholder.StartsWith("args.", StringComparison.Ordinal)
            && (_rolloutArgs.GetValueOrDefault(placeholder[5..]) ?? defaults.GetValueOrDefault(placeholder[5..])) is { } value ? value : null;

        var dryRun = spec.Child("dryRun").Items().Select(d => d.Child("metricName").Text()).OfType<string>().ToList();
        spec.ReportOthers(_findings, ImportSeverity.Warning, "not imported: the importer reads a template's args, metrics and dryRun", "args", "metrics", "dryRun", "measurementRetention");
        var metrics = new List<ImportedMetric>();
        foreach (var metric in spec.Child("metrics").Items())
        {
            var metricName = metric.Child("name").Text() ?? "metric";
            if (dryRun.Any(pattern => Regex.IsMatch(metricName, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            {
                _findings.Info(metric.Path, "not imported: a dry-run metric does not change Argo's decision");
                continue;
            }

            if (Metric(metric, metricName, Arg) is { } imported)
            {
                metrics.Add(imported);
            }
        }

        _findings.Source = saved;
        return metrics;
    }

    private ImportedMetric? Metric(DocumentNode metric, string name, Func<string, string?> arg)
    {
        metric.ReportOthers(_findings, ImportSeverity.Warning, "not imported: the document has no such setting",
            "name", "interval", "initialDelay", "count", "successCondition", "failureCondition", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "provider");
        var provider = metric.Child("provider");
        var prometheus = provider.Child("prometheus");
        if (prometheus is null)
        {
            _findings.Error(provider?.Path ?? metric.PathOf("provider"), $"not imported: the {(provider.Entries() is [var (type, _), ..] ? type : "missing")} provider; the document's checks read Prometheus only");
            return null;
        }

        ReadServer(prometheus, arg);
        if (prometheus.Child("rangeQuery") is { } range)
        {
            _findings.Error(range.Path, "not imported: a range query (the document's checks read a trailing window instead)");
            return null;
        }

        if (Pass(metric) is not { } pass)
        {
            return null;
        }

        var queryPath = prometheus.PathOf("query");
        var (query, _) = TemplateText.Fill(prometheus.Child("query").Text() ?? "", arg);
        if (_queries.Import(name, query, queryPath, pass.Condition, pass.Path) is not var (check, recognized))
        {
            return null;
        }

        _queries.AdoptSelector(recognized, queryPath, _options.Canary is not null);
        var interval = metric.Child("interval") is { } intervalNode ? ArgoDuration(intervalNode) : null;
        var count = metric.Child("count") is { } countNode ? countNode.Integer() ?? Unreadable(countNode, 1) : null;
        if (count is 0)
        {
            count = null; // Argo: 0 is unset
        }

        // Without a count: once without an interval; with one, until the run is terminated (reported where a step runs it).
        return new ImportedMetric(check, interval, count, FailureLimit(metric, count ?? (interval is null ? 1 : int.MaxValue)), metric.Child("consecutiveErrorLimit").Integer() is { } errors and >= 0 and not 4 ? errors : null,
            metric.Child("initialDelay") is { } delay ? ArgoDuration(delay) : null, metric.Path, _findings.Source);
    }

    private (PassCondition Condition, string Path)? Pass(DocumentNode metric)
    {
        var successNode = metric.Child("successCondition");
        var failureNode = metric.Child("failureCondition");
        var success = successNode.Text() is { } s ? ArgoCondition.Read(s) : null;
        var failure = failureNode.Text() is { } f ? ArgoCondition.Read(f) : null;
        if (success is null && failure is null)
        {
            _findings.Error(metric.Path, "not imported: a metric without a condition is Successful whatever it measures (Argo); a check needs a threshold");
            return null;
        }

        if ((success?.Problem ?? failure?.Problem) is { } problem)
        {
            _findings.Error((success?.Problem is null ? failureNode : successNode)!.Path, $"not imported: {problem}");
            return null;
        }

        var pass = success?.Comparison ?? failure!.Comparison!.Negated();
        if (success is not null)
        {
            if (success.OrEmpty)
            {
                _findings.Error(successNode!.Path, "'len(result) == 0 ||' passes when the query returns no data: the source promotes a canary without evidence (argoproj/argo-rollouts#3503); the imported check is Inconclusive without data");
            }

            if (success.OrNaN)
            {
                _findings.Error(successNode!.Path, "'isNaN(result) ||' passes a NaN result, which a ratio is when no request came (0/0): the source promotes a canary without evidence; the imported check is Inconclusive without data");
            }

            if (success.Default is { } fallback && QueryImport.Passes(pass, fallback))
            {
                _findings.Error(successNode!.Path, $"default(result, {CheckMapper.Number(fallback)}) passes when the provider returns nothing; the imported check is Inconclusive without data");
            }

            if (failure?.Comparison is { } failing && failing.Negated() != pass)
            {
                _findings.Warning(failureNode!.Path, $"between the two conditions Argo is Inconclusive; the check has one threshold, the successCondition's ({pass})");
            }
        }
        else
        {
            _findings.Error(failureNode!.Path, $"with only a failureCondition, a measurement that is not a failure passes: a NaN result (0/0, no requests){(failure!.AndNotEmpty ? " and an empty one" : "")} passes in the source; the imported check is Inconclusive without data");
        }

        return (pass, (successNode ?? failureNode)!.Path);
    }

    private int FailureLimit(DocumentNode metric, int count)
    {
        var inconclusive = metric.Child("inconclusiveLimit").Integer() ?? 0;
        if (inconclusive > 0)
        {
            _findings.Add(inconclusive >= count ? ImportSeverity.Error : ImportSeverity.Warning, metric.PathOf("inconclusiveLimit"), inconclusive >= count
                ? FormattableString.Invariant($"inconclusiveLimit {inconclusive} ≥ count {count}: in Argo a run whose measurements are all inconclusive ends Successful; the imported step is Inconclusive unless a look passes")
                : FormattableString.Invariant($"inconclusiveLimit {inconclusive}: not carried over; an imported step tolerates inconclusive looks until its last one and needs a passing look"));
        }

        var limit = metric.Child("failureLimit").Integer() ?? 0;
        var path = metric.PathOf("failureLimit");
        if (limit < 0 || limit >= count)
        {
            _findings.Error(path, limit < 0
                ? "failureLimit -1 disables the failure limit: in Argo no failed measurement fails the metric; the imported step fails on its first failed look"
                : FormattableString.Invariant($"failureLimit {limit} ≥ count {count}: in Argo no number of failed measurements fails this metric; the imported step fails on its first failed look"));
            return 0;
        }

        if (limit > 0)
        {
            _findings.Warning(path, count == int.MaxValue
                ? FormattableString.Invariant($"failureLimit {limit}: a step passes with up to {limit} failed look(s) (carried over, at most one look fewer than the step has)")
                : FormattableString.Invariant($"failureLimit {limit}: the step passes with up to {limit} failed look(s) of {count} (carried over as it is)"));
        }

        return limit;
    }

    private void ReadServer(DocumentNode prometheus, Func<string, string?> arg)
    {
        if (prometheus.Child("address") is { } addressNode)
        {
            var (address, unresolved) = TemplateText.Fill(addressNode.Text() ?? "", arg);
            if (unresolved.Count > 0 || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
            {
                _findings.Warning(addressNode.Path, "not imported: not an http(s) URL without credentials once its arguments are filled; give the server to the host");
            }
            else if (_draft.Address is null)
            {
                _draft.Address = address;
            }
            else if (_draft.Address != address)
            {
                _findings.Warning(addressNode.Path, $"a document reads one Prometheus server: {_draft.Address}, from an earlier metric");
            }
        }

        if (prometheus.Child("timeout").Integer() is { } seconds and > 0)
        {
            _draft.Timeout ??= FormattableString.Invariant($"{seconds}s");
        }

        foreach (var header in prometheus.Child("headers").Items())
        {
            if (string.Equals(header.Child("key").Text(), "X-Scope-OrgID", StringComparison.OrdinalIgnoreCase) && TemplateText.Fill(header.Child("value").Text() ?? "", arg) is ({ Length: > 0 } tenant, []))
            {
                _draft.TenantId ??= tenant;
            }
            else
            {
                _findings.Info(header.Path, "not imported: headers (and credentials) belong to the host's PrometheusOptions, not the document");
            }
        }

        prometheus.ReportOthers(_findings, ImportSeverity.Info, "not imported: credentials and TLS settings belong to the host's PrometheusOptions, not the document", "address", "query", "timeout", "headers", "rangeQuery");
    }

    private void ReadArgs(DocumentNode? args)
    {
        foreach (var arg in args.Items())
        {
            if (arg.Child("name").Text() is { } name && !_rolloutArgs.ContainsKey(name))
            {
                _rolloutArgs[name] = arg.Child("value").Text();
            }
        }
    }

    /// <summary>Argo's durations: a Go duration string, or a bare number of seconds.</summary>
    private TimeSpan? ArgoDuration(DocumentNode node)
    {
        if (node.Integer() is { } seconds and > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (node.Text() is { } text && PrometheusDuration.Parse(text) is { } duration && duration > TimeSpan.Zero)
        {
            return duration;
        }

        _findings.Warning(node.Path, "not read: not a duration (such as 30s, 5m or 1h)");
        return null;
    }

    private int? Unreadable(DocumentNode node, int instead)
    {
        _findings.Warning(node.Path, FormattableString.Invariant($"not read: not a whole number once its arguments are filled; {instead} is used"));
        return instead;
    }
}
