using Canary.Analysis.Analysis;
using Canary.Analysis.Configuration.Internal;
using Canary.Analysis.Metrics.Prometheus;
using Canary.Analysis.Policies;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration;

/// <summary>
/// A canary policy written as a document (YAML or JSON, <c>apiVersion: canary-analysis/v1</c>, <c>kind: CanaryPolicy</c>)
/// rather than in C#: source, selectors, weights, named checks and steps. Loading validates everything — unknown or misspelt
/// fields, wrong types and impossible values are errors naming the file, the field's path and the value, never ignored — and
/// <see cref="Build"/> makes the same <see cref="CanaryPolicy"/> the equivalent code makes.
/// </summary>
/// <remarks>
/// <para>The format is described by the JSON Schema <c>docs/schemas/canary-policy-v1.json</c> and in the README. A check
/// declared once is one instance in every step that names it, so a sequential check's α covers the whole policy (as the
/// presets do). An analysis step looks every <c>interval</c> for <c>duration</c>, starting one interval in; every look but
/// the last may be inconclusive unless <c>inconclusiveLimit</c> says otherwise.</para>
/// <para>Credentials never belong in a document: an address with user information is refused (without repeating it); give
/// tokens to the provider the host builds (<see cref="CreatePrometheusOptions"/> returns options to complete).</para>
/// </remarks>
public sealed class PolicyDocument
{
    /// <summary>The <c>apiVersion</c> this library reads.</summary>
    public const string ApiVersion = PolicyDocumentReader.ApiVersion;

    private readonly PolicySpec _spec;

    private PolicyDocument(PolicySpec spec, string origin)
    {
        _spec = spec;
        Origin = origin;
    }

    /// <summary>Wraps a document read elsewhere (from configuration).</summary>
    internal static PolicyDocument From(PolicySpec spec, string origin) => new(spec, origin);

    /// <summary>Gets the policy's name (<c>metadata.name</c>).</summary>
    public string Name => _spec.Name;

    /// <summary>Gets where the document was read from (a file path, or the origin given to <see cref="Parse"/>).</summary>
    public string Origin { get; }

    /// <summary>Gets the traffic convention the document names (<c>convention</c>, by preset name); <see cref="TrafficConvention.PrometheusNet"/> when it names none.</summary>
    public TrafficConvention Convention => _spec.Convention;

    /// <summary>Gets the canary's label selector.</summary>
    public LabelSelector Canary => _spec.Canary;

    /// <summary>Gets the baseline's label selector, or null when the document selects none (then no check may compare with it).</summary>
    public LabelSelector? Baseline => _spec.Baseline;

    /// <summary>Gets the Prometheus server the document names (<c>source.prometheus.address</c>), or null.</summary>
    public Uri? PrometheusAddress => _spec.Prometheus?.Address;

    /// <summary>Gets the names of the declared checks, in document order.</summary>
    public IReadOnlyList<string> CheckNames => _spec.Checks.Select(c => c.Name).ToList();

    /// <summary>Reads a policy document from a file: YAML, or JSON when the file ends in <c>.json</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="PolicyDocumentException">The document is invalid; <see cref="PolicyDocumentException.Errors"/> lists every error with the file, path, line and value.</exception>
    public static PolicyDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = File.ReadAllText(path);
        return Parse(text, path, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? PolicyDocumentFormat.Json : PolicyDocumentFormat.Yaml);
    }

    /// <summary>Reads a policy document from text.</summary>
    /// <param name="text">The document.</param>
    /// <param name="origin">What errors call the document (e.g. its file name).</param>
    /// <param name="format">Its format.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="origin"/> is null.</exception>
    /// <exception cref="PolicyDocumentException">The document is invalid; <see cref="PolicyDocumentException.Errors"/> lists every error.</exception>
    public static PolicyDocument Parse(string text, string origin, PolicyDocumentFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        var binder = new NodeBinder(origin);
        var root = format == PolicyDocumentFormat.Json ? JsonNodeReader.Read(text, origin, binder.Errors) : YamlNodeReader.Read(text, origin, binder.Errors);
        var spec = root is null || binder.Errors.Count > 0 ? null : PolicyDocumentReader.Read(root, binder);
        return spec is null ? throw new PolicyDocumentException(binder.Errors) : new PolicyDocument(spec, origin);
    }

    /// <summary>Builds the policy, its checks reading from <paramref name="source"/>.</summary>
    /// <param name="source">Where the checks read traffic (e.g. a <see cref="PrometheusTrafficSource"/> with <see cref="Convention"/>).</param>
    /// <returns>A new policy with new check instances: build once per rollout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public CanaryPolicy Build(ITrafficSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var checks = new Dictionary<string, IAnalysisCheck>(StringComparer.Ordinal);
        foreach (var check in _spec.Checks)
        {
            var firstInterval = _spec.Steps.Select(s => s.Analysis).FirstOrDefault(a => a?.Checks.Contains(check.Name) == true)?.Interval ?? TimeSpan.FromMinutes(1);
            checks[check.Name] = check.Create(new CheckBuildContext(source, _spec.Canary, _spec.Baseline, _spec.Weights.Create, firstInterval));
        }

        return new CanaryPolicy(_spec.Name, _spec.Steps.Select(step => Step(step, checks)))
        {
            Replicas = _spec.Replicas,
            MaxSurge = _spec.MaxSurge,
        };
    }

    /// <summary>Creates options for the Prometheus server the document names, to complete with credentials and pass to a <see cref="PrometheusMetricProvider"/>.</summary>
    /// <returns>New options: the address, and the timeout, tenant and method when the document sets them.</returns>
    /// <exception cref="InvalidOperationException">The document names no Prometheus server (<c>source.prometheus</c>).</exception>
    public PrometheusOptions CreatePrometheusOptions()
    {
        var prometheus = _spec.Prometheus ?? throw new InvalidOperationException($"{Origin}: the policy '{Name}' names no Prometheus server (source.prometheus.address).");
        var options = new PrometheusOptions { Address = prometheus.Address, TenantId = prometheus.TenantId };
        if (prometheus.Timeout is { } timeout)
        {
            options.Timeout = timeout;
        }

        if (prometheus.UsePost is { } usePost)
        {
            options.UsePost = usePost;
        }

        return options;
    }

    /// <summary>Runs <see cref="PolicyLinter"/> on the policy the document builds (no metric is read).</summary>
    /// <param name="context">What the linter assumes about the traffic; null for its defaults (with the document's replicas).</param>
    /// <returns>The findings.</returns>
    public IReadOnlyList<LintFinding> Lint(PolicyLintContext? context = null) =>
        PolicyLinter.Lint(Build(NoTrafficSource.Instance), context ?? new PolicyLintContext { Replicas = _spec.Replicas, MaxSurge = _spec.MaxSurge });

    private static CanaryStep Step(StepSpec step, Dictionary<string, IAnalysisCheck> checks)
    {
        switch (step.Kind)
        {
            case CanaryStepKind.SetWeight:
                return CanaryStep.SetWeight(step.Weight);
            case CanaryStepKind.Pause:
                return step.Duration is { } duration ? CanaryStep.Pause(duration) : CanaryStep.PauseUntilResumed();
            default:
                var analysis = step.Analysis!;
                var metrics = analysis.Checks.Select(name => new AnalysisMetric
                {
                    Name = name,
                    Check = checks[name],
                    Interval = analysis.Interval,
                    InitialDelay = analysis.InitialDelay,
                    Count = analysis.Count,
                    InconclusiveLimit = analysis.InconclusiveLimit,
                    FailureLimit = analysis.FailureLimit,
                    ConsecutiveErrorLimit = analysis.ConsecutiveErrorLimit,
                }).ToList();
                return analysis.FailFast ? CanaryStep.FailFastAnalysis(analysis.Name, metrics) : CanaryStep.Analysis(analysis.Name, metrics);
        }
    }
}
