using Canary.Analysis.Internal;
using Canary.Analysis.Evaluation;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Internal;

/// <summary>
/// Reads a policy document's nodes into a <see cref="PolicySpec"/>, the same way whatever they were read from, collecting
/// every error (file, path, line, value) instead of stopping at the first.
/// </summary>
internal static class PolicyDocumentReader
{
    public const string ApiVersion = "canary-analysis/v1";
    public const string Kind = "CanaryPolicy";

    private static readonly string[] WeightModes = ["explicit", "equal", "traffic"];
    private static readonly string[] StepKinds = ["setWeight", "pause", "analysis"];

    /// <summary>Reads a document.</summary>
    /// <param name="root">The document's root node.</param>
    /// <param name="binder">Collects the errors.</param>
    /// <param name="impliedName">
    /// Null for a document file; in configuration, the policy's key: then <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>
    /// may be left out (the name is the key) and <paramref name="sharedSource"/> stands in for a missing <c>source</c>.
    /// </param>
    /// <param name="sharedSource">The configuration's <c>source</c>, read once, for every policy that names none.</param>
    public static PolicySpec? Read(DocumentNode root, NodeBinder binder, string? impliedName = null, SourceSpec? sharedSource = null)
    {
        var document = binder.Fields(root, "apiVersion", "kind", "metadata", "source", "canary", "baseline", "weights", "checks", "steps", "replicas", "maxSurge");
        if (document is null)
        {
            return null;
        }

        var required = new[] { ("apiVersion", ApiVersion), ("kind", Kind), ("metadata", "metadata.name"), ("canary", "the canary's label selector"), ("steps", "the rollout's steps") };
        foreach (var (field, what) in impliedName is null ? required : required[3..])
        {
            binder.Required(document, field, what);
        }

        if (binder.String(document.Get("apiVersion")) is { } version && version != ApiVersion)
        {
            binder.Error(document.Get("apiVersion")!, $"must be {ApiVersion} (the only version this library reads)");
        }

        if (binder.String(document.Get("kind")) is { } kind && kind != Kind)
        {
            binder.Error(document.Get("kind")!, $"must be {Kind}");
        }

        var name = ReadName(binder, document, impliedName);
        var (prometheus, convention) = document.Get("source") is { } source ? ReadSource(binder, source) : sharedSource ?? SourceSpec.Default;

        var canary = Selector(binder, document.Get("canary"));
        var baseline = Selector(binder, document.Get("baseline"));
        var weights = ReadWeights(binder, document.Get("weights"));
        var checks = ReadChecks(binder, document.Get("checks"), weights, baseline is not null);
        // Steps may name every declared check, valid or not: a check with an error is reported once, where it is declared.
        var declared = (document.Get("checks") as MappingNode)?.Entries.Select(e => e.Key).ToList() ?? [];
        var steps = ReadSteps(binder, document.Get("steps"), declared);
        var replicas = binder.Integer(document.Get("replicas"), 1, 10_000);
        var maxSurge = binder.Integer(document.Get("maxSurge"), 0, 10_000);
        if (maxSurge is not null && replicas is null)
        {
            binder.Error(document.Get("maxSurge")!, "needs 'replicas': the surge is a number of pods");
        }

        return binder.Errors.Count == 0 && name is not null && canary is not null && steps is not null
            ? new PolicySpec(name, prometheus, convention, canary, baseline, weights, checks, steps, replicas, maxSurge)
            : null;
    }

    private static string? ReadName(NodeBinder binder, DocumentFields document, string? impliedName)
    {
        if (binder.Fields(document.Get("metadata"), "name", "namespace", "labels", "annotations") is not { } metadata)
        {
            return impliedName;
        }

        if (impliedName is null)
        {
            binder.Required(metadata, "name", "the policy's name");
        }

        _ = binder.String(metadata.Get("namespace"));
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (binder.Mapping(metadata.Get(field)) is { } map)
            {
                foreach (var (_, value) in map.Entries)
                {
                    _ = binder.String(value);
                }
            }
        }

        return binder.String(metadata.Get("name")) ?? impliedName;
    }

    /// <summary>Reads a <c>source</c>: the Prometheus server and the convention (prometheus-net when left out).</summary>
    public static SourceSpec ReadSource(NodeBinder binder, DocumentNode? node)
    {
        if (binder.Fields(node, "prometheus", "convention") is not { } source)
        {
            return SourceSpec.Default;
        }

        var convention = TrafficConvention.PrometheusNet;
        if (binder.OneOf(source.Get("convention"), TrafficConvention.Presets.Select(p => p.Name).ToArray()) is { } conventionName)
        {
            convention = TrafficConvention.FindPreset(conventionName)!;
        }

        return new SourceSpec(ReadPrometheus(binder, source.Get("prometheus")), convention);
    }

    private static PrometheusSourceSpec? ReadPrometheus(NodeBinder binder, DocumentNode? node)
    {
        if (binder.Fields(node, "address", "timeout", "tenantId", "usePost") is not { } prometheus)
        {
            return null;
        }

        binder.Required(prometheus, "address", "the server's URL, e.g. http://prometheus:9090");
        Uri? address = null;
        if (binder.String(prometheus.Get("address")) is { } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo))
            {
                address = uri;
            }
            else
            {
                // The value may carry credentials (user:password@host): never repeat it.
                binder.Error(prometheus.Get("address")!, "must be an absolute http or https URL without credentials (give those to the host, not the document)", showValue: false);
            }
        }

        var timeout = binder.Duration(prometheus.Get("timeout"));
        var tenant = binder.String(prometheus.Get("tenantId"));
        var usePost = binder.Boolean(prometheus.Get("usePost"));
        return address is null ? null : new PrometheusSourceSpec(address, timeout, tenant, usePost);
    }

    private static LabelSelector? Selector(NodeBinder binder, DocumentNode? node)
    {
        if (binder.String(node) is not { } text)
        {
            return null;
        }

        if (LabelSelector.TryParse(text, out var selector) && selector.Matchers.Count > 0)
        {
            return selector;
        }

        binder.Error(node!, "must be a PromQL label selector such as version=\"canary\" (one or more matchers, comma separated)");
        return null;
    }

    private static WeightsSpec ReadWeights(NodeBinder binder, DocumentNode? node)
    {
        var equal = new WeightsSpec(EndpointWeightingMode.Equal, [], 0);
        if (binder.Fields(node, "endpoints", "default", "mode") is not { } weights)
        {
            return equal;
        }

        var mode = binder.OneOf(weights.Get("mode"), WeightModes) switch
        {
            "equal" => EndpointWeightingMode.Equal,
            "traffic" => EndpointWeightingMode.TrafficWeighted,
            _ => EndpointWeightingMode.Explicit,
        };
        var endpoints = new List<KeyValuePair<string, double>>();
        if (binder.Mapping(weights.Get("endpoints")) is { } listed)
        {
            foreach (var (endpoint, value) in listed.Entries)
            {
                if (binder.Number(value, 0, double.PositiveInfinity) is { } weight)
                {
                    endpoints.Add(new(endpoint, weight));
                }
            }
        }

        var defaultWeight = binder.Number(weights.Get("default"), 0, double.PositiveInfinity);
        if (defaultWeight is not null && mode != EndpointWeightingMode.Explicit)
        {
            binder.Error(weights.Get("default")!, "applies to explicit weights only: unlisted endpoints count 1 with mode equal or traffic");
        }

        if (mode == EndpointWeightingMode.Explicit && endpoints.Count == 0 && weights.Get("default") is null)
        {
            binder.Error(weights.Node.Path, weights.Node.Line, "lists no endpoint and no default weight: nothing would be judged (leave 'weights' out to weigh every endpoint the same)");
        }

        return new WeightsSpec(mode, endpoints, defaultWeight ?? 0);
    }

    private static List<CheckSpec> ReadChecks(NodeBinder binder, DocumentNode? node, WeightsSpec weights, bool hasBaseline)
    {
        var checks = new List<CheckSpec>();
        if (binder.Mapping(node) is not { } declared)
        {
            return checks;
        }

        foreach (var (name, value) in declared.Entries)
        {
            var kindNode = value is MappingNode mapping ? binder.FieldsOf(mapping).Get("kind") : null;
            if (kindNode is null)
            {
                binder.Error(value.Path, value.Line, value is MappingNode
                    ? $"needs a 'kind': one of {string.Join(", ", CheckKinds.All.Keys)}"
                    : $"must be a mapping with a 'kind' (one of {string.Join(", ", CheckKinds.All.Keys)}); it is {value.KindName}");
                continue;
            }

            if (binder.OneOf(kindNode, CheckKinds.All.Keys.ToArray()) is not { } kindName)
            {
                continue;
            }

            var kind = CheckKinds.All[kindName];
            if (binder.Fields(value, kind.FieldNames.ToArray()) is { } fields && kind.Read(binder, name, fields, weights.Create, hasBaseline) is { } check)
            {
                checks.Add(check);
            }
        }

        return checks;
    }

    private static List<StepSpec>? ReadSteps(NodeBinder binder, DocumentNode? node, List<string> checks)
    {
        if (binder.Sequence(node) is not { } sequence)
        {
            return null;
        }

        if (sequence.Items.Count == 0)
        {
            binder.Error(sequence.Path, sequence.Line, "must list at least one step");
            return null;
        }

        var steps = new List<StepSpec>();
        foreach (var item in sequence.Items)
        {
            if (binder.Fields(item, StepKinds) is not { } step)
            {
                continue;
            }

            if (step.Node.Entries.Count != 1)
            {
                binder.Error(step.Node.Path, step.Node.Line, "must be exactly one of setWeight, pause or analysis");
                continue;
            }

            var stepKind = StepKinds.FirstOrDefault(k => binder.Keys.Equals(k, step.Node.Entries[0].Key));
            if (stepKind is null)
            {
                continue; // reported as an unknown field
            }

            switch (stepKind)
            {
                case "setWeight":
                    binder.Required(step, "setWeight", "the canary's share of traffic in percent (0–100)");
                    if (binder.Integer(step.Get("setWeight"), 0, 100) is { } weight)
                    {
                        steps.Add(new StepSpec(CanaryStepKind.SetWeight, weight, null, null));
                    }

                    break;
                case "pause":
                    // "pause: {}" or "pause:" waits for a human; "pause: { duration: 1h }" waits that long.
                    var pause = binder.Fields(step.Get("pause"), "duration");
                    steps.Add(new StepSpec(CanaryStepKind.Pause, 0, binder.Duration(pause?.Get("duration")), null));
                    break;
                default:
                    binder.Required(step, "analysis", "the analysis step's name, interval, duration and checks");
                    if (ReadAnalysis(binder, step.Get("analysis"), checks) is { } analysis)
                    {
                        steps.Add(new StepSpec(CanaryStepKind.Analysis, 0, null, analysis));
                    }

                    break;
            }
        }

        return steps;
    }

    private static AnalysisSpec? ReadAnalysis(NodeBinder binder, DocumentNode? node, List<string> checks)
    {
        if (binder.Fields(node, "name", "failFast", "interval", "duration", "checks", "initialDelay", "inconclusiveLimit", "failureLimit", "consecutiveErrorLimit") is not { } analysis)
        {
            return null;
        }

        foreach (var (field, what) in new[] { ("name", "the step's name"), ("interval", "how often the checks look, e.g. 1m"), ("duration", "how long the step analyses, e.g. 13m"), ("checks", "the names of the checks it runs") })
        {
            binder.Required(analysis, field, what);
        }

        var name = binder.String(analysis.Get("name"));
        var failFast = binder.Boolean(analysis.Get("failFast")) ?? false;
        var interval = binder.Duration(analysis.Get("interval"));
        var duration = binder.Duration(analysis.Get("duration"));
        var count = 0;
        if (interval is { } every && duration is { } length)
        {
            if (length.Ticks % every.Ticks != 0)
            {
                binder.Error(analysis.Get("duration")!, $"must be a whole number of intervals ({PrometheusDuration.Format(every)})");
            }

            count = (int)Math.Min(length.Ticks / every.Ticks, int.MaxValue);
        }

        var names = new List<string>();
        if (binder.Sequence(analysis.Get("checks")) is { } listed)
        {
            if (listed.Items.Count == 0)
            {
                binder.Error(listed.Path, listed.Line, "must name at least one check");
            }

            foreach (var item in listed.Items)
            {
                if (binder.String(item) is not { } checkName)
                {
                    continue;
                }

                if (names.Contains(checkName, StringComparer.Ordinal))
                {
                    binder.Error(item, "is named twice in this step");
                }
                else if (!checks.Contains(checkName, StringComparer.Ordinal))
                {
                    binder.Error(item, checks.Count == 0 ? "is not a check: the document declares none under 'checks'" : $"is not a check declared under 'checks' ({string.Join(", ", checks)})");
                }
                else
                {
                    names.Add(checkName);
                }
            }
        }

        var initialDelay = analysis.Get("initialDelay") is { } delayNode ? binder.Duration(delayNode) : interval;
        var inconclusiveLimit = binder.Integer(analysis.Get("inconclusiveLimit"), 0, int.MaxValue);
        var failureLimit = binder.Integer(analysis.Get("failureLimit"), 0, int.MaxValue) ?? 0;
        var errorLimit = binder.Integer(analysis.Get("consecutiveErrorLimit"), 0, int.MaxValue) ?? 4;
        return name is null || interval is null || count == 0 || initialDelay is null
            ? null
            // Like the presets: every look but the last may be inconclusive; the step decides on its evidence at the end.
            : new AnalysisSpec(name, failFast, interval.Value, count, names, initialDelay.Value, inconclusiveLimit ?? count - 1, failureLimit, errorLimit);
    }
}
