using Canary.Analysis.Configuration.Internal;
using Canary.Analysis.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Imports a Flagger <c>Canary</c>: the mesh provider chooses the convention and the canary's and primary's selectors (as
/// Flagger's builtin queries select them), <c>request-success-rate</c>/<c>request-duration</c> and <c>MetricTemplate</c> queries
/// become checks, and the weights from <c>stepWeight</c>/<c>stepWeights</c> to <c>maxWeight</c> become steps with one look each
/// (Flagger's tick). Semantics as in <c>reference/flagger-keptn-iter8.md</c> §1–2.
/// </summary>
internal sealed class FlaggerImporter
{
    /// <summary>Flagger's providers: the convention preset and the selectors of its builtin queries (null: no fixed selector).</summary>
    private static readonly PromQlMatcher[] IstioWorkload = [new("destination_workload_namespace", "=", "{ns}"), new("destination_workload", "=", "{target}")];
    private static readonly PromQlMatcher[] Pods = [new("kubernetes_namespace", "=", "{ns}"), new("kubernetes_pod_name", "=~", "{target}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)")];

    /// <summary>Flagger's providers: the convention preset and the matchers of its builtin queries (null: no fixed selector).</summary>
    private static readonly Dictionary<string, (TrafficConvention Convention, PromQlMatcher[]? Canary)> Providers = new(StringComparer.Ordinal)
    {
        ["istio"] = (TrafficConvention.Istio, IstioWorkload),
        ["linkerd"] = (TrafficConvention.Linkerd, [new("namespace", "=", "{ns}"), new("deployment", "=", "{target}")]),
        ["osm"] = (TrafficConvention.Osm, [new("destination_namespace", "=", "{ns}"), new("destination_kind", "=", "Deployment"), new("destination_name", "=", "{target}")]),
        ["kubernetes"] = (TrafficConvention.Kubernetes, Pods),
        ["gatewayapi"] = (TrafficConvention.Kubernetes, Pods),
        ["appmesh"] = (TrafficConvention.Envoy, null),
        ["contour"] = (TrafficConvention.Envoy, null),
        ["gloo"] = (TrafficConvention.Envoy, null),
        ["kuma"] = (TrafficConvention.Envoy, null),
        ["knative"] = (TrafficConvention.Envoy, null),
        ["nginx"] = (TrafficConvention.NginxIngress, null),
        ["traefik"] = (TrafficConvention.Traefik, null),
        ["skipper"] = (TrafficConvention.Skipper, null),
        ["apisix"] = (TrafficConvention.Apisix, null),
    };

    private const string Placeholder = "version=\"canary\"";

    private readonly FindingCollector _findings;
    private readonly PolicyDraft _draft;
    private readonly QueryImport _queries;
    private readonly PolicyImportOptions _options;
    private readonly List<DocumentNode> _templates;
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private bool _builtinServerNoted;

    private FlaggerImporter(FindingCollector findings, PolicyImportOptions options, string name, List<DocumentNode> templates)
    {
        _findings = findings;
        _options = options;
        _draft = new PolicyDraft(name) { Canary = options.Canary, Baseline = options.Baseline };
        _queries = new QueryImport(_draft, findings);
        _templates = templates;
    }

    public static ImportResult Import(string text, string origin, PolicyImportOptions options)
    {
        var findings = new FindingCollector(origin);
        DocumentNode? canary = null;
        var templates = new List<DocumentNode>();
        foreach (var root in ImportInput.ReadYaml(text, origin))
        {
            var kind = root.Child("kind").Text() ?? "";
            findings.Source = $"{kind}/{root.At("metadata", "name").Text()}";
            if (kind == "Canary" && canary is null)
            {
                canary = root;
            }
            else if (kind == "MetricTemplate")
            {
                templates.Add(root);
            }
            else
            {
                findings.Info("", kind == "Canary" ? "not imported: only the first Canary is (one policy per Canary)" : "not read: the importer reads Canaries and MetricTemplates");
            }
        }

        if (canary is null)
        {
            throw ImportInput.Refuse(origin, "holds no Flagger Canary");
        }

        var importer = new FlaggerImporter(findings, options, options.Name ?? canary.At("metadata", "name").Text() ?? "imported", templates);
        importer.ImportCanary(canary);
        return PolicyDraftWriter.Finish(importer._draft, findings, "Flagger");
    }

    private void ImportCanary(DocumentNode canary)
    {
        var name = canary.At("metadata", "name").Text() ?? "";
        var source = $"Canary/{name}";
        _findings.Source = source;
        var spec = canary.Child("spec");
        var ns = canary.At("metadata", "namespace").Text();
        var target = spec.At("targetRef", "name").Text() ?? name;
        _variables["name"] = name;
        _variables["target"] = target;
        _variables["service"] = spec.At("service", "name").Text() ?? target;
        _variables["ingress"] = spec.At("ingressRef", "name").Text() ?? target;
        _variables["route"] = spec.At("routeRef", "name").Text() ?? target;
        if (ns is not null)
        {
            _variables["namespace"] = ns;
        }
        else
        {
            _findings.Warning(canary.Child("metadata")?.PathOf("namespace") ?? "metadata.namespace", "no namespace: Flagger uses the Canary's; the selectors leave the namespace out");
        }

        Provider(spec, target, ns);
        var analysis = spec.Child("analysis") ?? spec.Child("canaryAnalysis");
        if (spec.Child("skipAnalysis").IsTrue())
        {
            _findings.Error(spec!.PathOf("skipAnalysis"), "skipAnalysis: Flagger promotes this canary without any check; the imported policy judges it (remove the steps to skip)");
        }

        if (analysis is null)
        {
            _findings.Error(spec?.PathOf("analysis") ?? "spec.analysis", "no analysis: Flagger promotes without any check; nothing to import");
            return;
        }

        Analysis(analysis, source);
    }

    private void Provider(DocumentNode? spec, string target, string? ns)
    {
        var providerNode = spec.Child("provider");
        var provider = providerNode.Text();
        var key = provider is null ? "istio" : Providers.Keys.FirstOrDefault(k => provider == k || provider.StartsWith(k + ":", StringComparison.Ordinal) || (k is "gatewayapi" or "appmesh" or "gloo" && provider.StartsWith(k, StringComparison.Ordinal)));
        if (provider is null)
        {
            _findings.Warning(spec?.PathOf("provider") ?? "spec.provider", "no provider: Flagger's is its -mesh-provider flag (istio by default): read as istio");
        }
        else if (key is null)
        {
            _findings.Warning(providerNode!.Path, $"the provider '{provider}' has no convention preset; Flagger reads unknown providers' metrics as Istio's: read as istio");
            key = "istio";
        }

        var (convention, selector) = Providers[key!];
        _draft.Convention = convention;
        if (_options.Canary is not null)
        {
            return;
        }

        if (selector is null)
        {
            _findings.Warning(providerNode?.Path ?? "spec.provider", $"Flagger selects the {key} canary by its generated names (a cluster, route or ingress): the canary's selector is a placeholder, version=\"canary\" (set PolicyImportOptions.Canary)");
            _draft.Canary = Placeholder;
            return;
        }

        string? Fill(string workload)
        {
            var matchers = selector.Where(m => ns is not null || m.Value != "{ns}")
                .Select(m => m with { Value = m.Value.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{target}", m.Operator == "=~" ? System.Text.RegularExpressions.Regex.Escape(workload) : workload, StringComparison.Ordinal) });
            return LabelSelector.TryParse(string.Join(",", matchers), out var parsed) && parsed.Matchers.Count > 0 ? parsed.ToString() : null;
        }

        _draft.Canary = Fill(target);
        _draft.Baseline ??= Fill(target + "-primary");
        if (_draft.Canary is null)
        {
            _findings.Warning(spec!.PathOf("targetRef"), "the target's name and namespace make no label selector: the canary's selector is a placeholder, version=\"canary\" (set PolicyImportOptions.Canary)");
            _draft.Canary = Placeholder;
        }
    }

    private void Analysis(DocumentNode analysis, string source)
    {
        var interval = analysis.Child("interval") is { } intervalNode ? Duration(intervalNode) ?? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(1);
        if (interval < TimeSpan.FromSeconds(10))
        {
            interval = TimeSpan.FromSeconds(10); // Flagger's floor
        }

        var checks = new List<string>();
        foreach (var metric in analysis.Child("metrics").Items())
        {
            if (Metric(metric, source) is { } check)
            {
                checks.Add(check);
            }

            _findings.Source = source;
        }

        if (analysis.Child("metrics").Items().Count == 0)
        {
            _findings.Error(analysis.PathOf("metrics"), "no metrics: Flagger advances on webhooks alone; the imported policy pauses for a human before promotion");
        }

        var threshold = Math.Max(1, analysis.Child("threshold").Integer() ?? 1);
        if (threshold > 1)
        {
            _findings.Warning(analysis.PathOf("threshold"), FormattableString.Invariant($"threshold {threshold}: Flagger retries a failed check at the same weight and rolls back after {threshold} failed checks in all, so up to {threshold - 1} failed checks pass; an imported step rolls back on its first failed look (a look without enough data is Inconclusive, not failed)"));
        }

        var hooks = Webhooks(analysis);
        if (hooks.ConfirmRollout)
        {
            _draft.Steps.Add(new PauseDraft(null));
        }

        var weights = Weights(analysis);
        var iterations = analysis.Child("iterations").Integer();
        if (weights.Count == 0 || (iterations is > 0 && analysis.Child("match") is not null))
        {
            // Blue/green or A/B testing: a number of ticks, then promotion.
            var count = Math.Max(1, iterations ?? 1);
            if (analysis.Child("match") is { } match)
            {
                _findings.Warning(match.Path, "A/B testing: the document does not route by header or cookie; the checks judge the canary's traffic however it is routed");
            }

            AddLooks(checks, "iterations", interval, count);
        }
        else
        {
            foreach (var weight in weights)
            {
                _draft.Steps.Add(new SetWeightDraft(weight));
                AddLooks(checks, FormattableString.Invariant($"weight-{weight}"), interval, 1);
            }
        }

        if (hooks.ConfirmPromotion || checks.Count == 0)
        {
            _draft.Steps.Add(new PauseDraft(null));
        }

        analysis.ReportOthers(_findings, ImportSeverity.Info, "not read: it does not change what is judged",
            "interval", "threshold", "maxWeight", "stepWeight", "stepWeights", "iterations", "metrics", "webhooks", "match");
    }

    private void AddLooks(List<string> checks, string name, TimeSpan interval, int count) =>
        _draft.Steps.Add(checks.Count == 0 ? new PauseDraft(interval * count) : new AnalysisDraft(name, interval, count, checks));

    /// <summary>The weights Flagger sets: <c>stepWeight</c> steps up to <c>maxWeight</c> (it may overshoot, capped at 100), or <c>stepWeights</c>.</summary>
    private static List<int> Weights(DocumentNode analysis)
    {
        var step = analysis.Child("stepWeight").Integer() ?? 0;
        var listed = analysis.Child("stepWeights").Items().Select(w => w.Integer()).OfType<int>().Where(w => w is > 0 and <= 100).ToList();
        if (step <= 0)
        {
            return listed;
        }

        var max = Math.Clamp(analysis.Child("maxWeight").Integer() ?? 100, 1, 100);
        var weights = new List<int>();
        for (var weight = step; ; weight += step)
        {
            weights.Add(Math.Min(weight, 100));
            if (weight >= max)
            {
                return weights;
            }
        }
    }

    private (bool ConfirmRollout, bool ConfirmPromotion) Webhooks(DocumentNode analysis)
    {
        var (rollout, promotion) = (false, false);
        foreach (var hook in analysis.Child("webhooks").Items())
        {
            var type = hook.Child("type").Text() ?? "rollout";
            switch (type)
            {
                case "confirm-rollout":
                    rollout = true;
                    _findings.Warning(hook.Path, "a confirm-rollout gate becomes a pause for a human before the first step");
                    break;
                case "confirm-promotion":
                    promotion = true;
                    _findings.Warning(hook.Path, "a confirm-promotion gate becomes a pause for a human before promotion");
                    break;
                case "rollout":
                    _findings.Warning(hook.Path, "not imported: a rollout webhook (a load test that generates the canary's traffic, or a check); run it elsewhere: without traffic the checks are Inconclusive");
                    break;
                case "pre-rollout" or "confirm-traffic-increase" or "rollback":
                    _findings.Warning(hook.Path, $"not imported: a {type} webhook gated the rollout; the document has no webhooks");
                    break;
                default:
                    _findings.Info(hook.Path, $"not imported: a {type} webhook does not change what is judged");
                    break;
            }
        }

        return (rollout, promotion);
    }

    private string? Metric(DocumentNode metric, string source)
    {
        var name = metric.Child("name").Text() ?? "metric";
        var window = metric.Child("interval") is { } intervalNode && Duration(intervalNode) is { } length ? PrometheusDuration.Format(length) : "1m";
        var range = metric.Child("thresholdRange");
        var (min, max) = (range.Child("min").Number(), range.Child("max").Number());
        if (metric.Child("threshold").Number() is { } legacy)
        {
            _findings.Warning(metric.PathOf("threshold"), "the deprecated threshold: read as the builtin's bound (a minimum success rate, a maximum duration)");
            if (name == "request-duration")
            {
                max ??= legacy;
            }
            else
            {
                min ??= legacy;
            }
        }

        if (metric.Child("templateRef") is null && metric.Child("query") is null)
        {
            return Builtin(metric, name, window, min, max);
        }

        _variables["interval"] = window;
        var variables = metric.Child("templateVariables").Entries().ToDictionary(e => $"variables.{e.Key}", e => e.Value.Text() ?? "", StringComparer.Ordinal);
        string? Value(string placeholder) => _variables.GetValueOrDefault(placeholder) ?? variables.GetValueOrDefault(placeholder);

        var queryNode = metric.Child("query");
        if (queryNode is null)
        {
            var templateName = metric.At("templateRef", "name").Text();
            var template = _templates.FirstOrDefault(t => t.At("metadata", "name").Text() == templateName);
            if (template is null)
            {
                _findings.Error(metric.PathOf("templateRef"), $"not imported: the MetricTemplate '{templateName}' is not in the input (give it too)");
                return null;
            }

            _findings.Source = $"MetricTemplate/{templateName}";
            var spec = template.Child("spec");
            var type = spec.At("provider", "type").Text() ?? "prometheus";
            if (type != "prometheus")
            {
                _findings.Error(spec.At("provider", "type")!.Path, $"not imported: the {type} provider; the document's checks read Prometheus only");
                return null;
            }

            if (spec.At("provider", "address").Text() is { } address && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0)
            {
                _draft.Address ??= address;
            }

            spec.Child("provider").ReportOthers(_findings, ImportSeverity.Info, "not imported: credentials and TLS settings belong to the host's PrometheusOptions", "type", "address");
            queryNode = spec.Child("query");
        }

        var (query, _) = TemplateText.Fill(queryNode.Text() ?? "", Value);
        var queryPath = queryNode?.Path ?? "spec.query";
        var querySource = _findings.Source;
        var (recognized, _) = QueryRecognizer.Recognize(query);
        var takesMinimum = min is not null && (max is null || recognized is { Shape: QueryShape.SuccessRatio, Scale: > 0 });
        if (min is null && max is null)
        {
            _findings.Source = source;
            _findings.Error(metric.Path, "not imported: no thresholdRange (the metric judges nothing)");
            return null;
        }

        var pass = takesMinimum ? new PassCondition(">=", min!.Value) : new PassCondition("<=", max!.Value);
        if (min is not null && max is not null)
        {
            _findings.Source = source;
            _findings.Warning(range!.Path, $"a check has one threshold: the {(takesMinimum ? "minimum" : "maximum")} ({pass}); the other bound is not imported");
        }

        _findings.Source = querySource;
        var imported = _queries.Import(name, query, queryPath, pass, range?.Path ?? metric.Path);
        if (imported is var (check, found))
        {
            _queries.AdoptSelector(found, queryPath, _options.Canary is not null);
            return check;
        }

        return null;
    }

    private string? Builtin(DocumentNode metric, string name, string window, double? min, double? max)
    {
        var convention = _draft.Convention!;
        var range = metric.Child("thresholdRange");
        if (!_builtinServerNoted)
        {
            _builtinServerNoted = true;
            _findings.Info(metric.Path, "Flagger's builtin metrics read the Prometheus server of its -metrics-server flag: give it to the host (or add source.prometheus.address)");
        }

        switch (name)
        {
            case "request-success-rate" when min is { } minimum and > 0 and <= 100:
                if (max is not null)
                {
                    _findings.Warning(range.Child("max")!.Path, "not imported: a maximum success rate");
                }

                return _draft.AddCheck(new CheckDraft(name, "success-rate", [new("minimumSuccessRate", CheckMapper.Number(minimum / 100)), new("window", window)]));
            case "request-duration" when max is { } maximum and > 0:
                if (min is not null)
                {
                    _findings.Warning(range.Child("min")!.Path, "not imported: a minimum duration");
                }

                // Flagger's nginx and skipper builtins judge the mean; the others the p99.
                KeyValuePair<string, string> measure = convention == TrafficConvention.NginxIngress || convention == TrafficConvention.Skipper ? new("measure", "mean") : new("quantile", "0.99");
                return _draft.AddCheck(new CheckDraft(name, "latency", [measure, new("maximumLatency", PrometheusDuration.Format(TimeSpan.FromMilliseconds(Math.Round(maximum)))), new("window", window)]));
            case "request-success-rate" or "request-duration":
                _findings.Error(range?.Path ?? metric.Path, $"not imported: the builtin {name} needs a thresholdRange {(name == "request-duration" ? "max (ms) above 0" : "min (percent) from 0 to 100")}");
                return null;
            default:
                _findings.Error(metric.Path, $"not imported: '{name}' is no builtin metric, and the metric names no templateRef or query");
                return null;
        }
    }

    private TimeSpan? Duration(DocumentNode node)
    {
        if (node.Text() is { } text && PrometheusDuration.Parse(text) is { } duration && duration > TimeSpan.Zero)
        {
            return duration;
        }

        _findings.Warning(node.Path, "not read: not a duration (such as 30s or 1m)");
        return null;
    }
}
