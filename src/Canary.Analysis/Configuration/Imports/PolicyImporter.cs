using Canary.Analysis.Configuration.Imports.Internal;
using Canary.Analysis.Traffic;

namespace Canary.Analysis.Configuration.Imports;

/// <summary>
/// Imports the canary analyses of Argo Rollouts, Flagger and Kayenta as a policy document (<c>canary-analysis/v1</c>): what
/// maps becomes checks and steps, and everything else is a finding naming its path in the source — never a silent pass.
/// </summary>
/// <remarks>
/// <para>What maps: Prometheus queries that are a convention preset's success (or error) ratio become <c>success-rate</c>
/// checks, its latency quantile or mean <c>latency</c> checks, whatever their scale (fraction or percent, seconds or
/// milliseconds); Flagger's builtin <c>request-success-rate</c> and <c>request-duration</c> the same; Kayenta's error and
/// latency metrics comparisons with the baseline (<c>sequential-error-rate</c>, <c>latency</c>, <c>sequential-latency</c>).
/// Steps: Argo's <c>setWeight</c>, <c>pause</c> and <c>analysis</c> steps (a background analysis runs in the timed pauses),
/// Flagger's weights from <c>stepWeight</c>/<c>stepWeights</c> up to <c>maxWeight</c> with one look at each.</para>
/// <para>What does not: a query of any other shape (the document has no check kind for arbitrary queries), other providers,
/// experiments, webhooks, Kayenta's group weights — each an <see cref="ImportSeverity.Error"/> or
/// <see cref="ImportSeverity.Warning"/> finding. Idioms that pass on missing data (<c>or vector(100)</c>,
/// <c>len(result) == 0 ||</c>, <c>isNaN(result) ||</c>, Kayenta's <c>nanStrategy: replace</c>) and limits no failure can reach
/// are Error findings: the imported checks are Inconclusive without data instead.</para>
/// <para>Every document an import returns loads with <see cref="PolicyDocument.Parse"/> and builds (<see cref="ImportResult.Policy"/>).</para>
/// </remarks>
public static class PolicyImporter
{
    /// <summary>Imports Argo Rollouts manifests: <c>AnalysisTemplate</c>s and <c>ClusterAnalysisTemplate</c>s, and the <c>Rollout</c> that runs them.</summary>
    /// <param name="text">The manifests, YAML, several documents separated by <c>---</c> (as <c>kubectl</c> takes them).</param>
    /// <param name="origin">What findings call the input (e.g. its file name).</param>
    /// <param name="options">The policy's name and selectors, when the input does not give them; null for the defaults.</param>
    /// <returns>The policy document and the findings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="origin"/> is null.</exception>
    /// <exception cref="ArgumentException">A selector in <paramref name="options"/> is not a label selector.</exception>
    /// <exception cref="PolicyDocumentException">The input is not YAML, or holds no Rollout or analysis template.</exception>
    public static ImportResult FromArgo(string text, string origin, PolicyImportOptions? options = null) =>
        ArgoImporter.Import(Check(text, origin), origin, Validate(options));

    /// <summary>Imports a Flagger <c>Canary</c> (its <c>spec.analysis</c>) and the <c>MetricTemplate</c>s its metrics name.</summary>
    /// <param name="text">The manifests, YAML, several documents separated by <c>---</c>.</param>
    /// <param name="origin">What findings call the input (e.g. its file name).</param>
    /// <param name="options">The policy's name and selectors, when the input does not give them; null for the defaults.</param>
    /// <returns>The policy document and the findings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="origin"/> is null.</exception>
    /// <exception cref="ArgumentException">A selector in <paramref name="options"/> is not a label selector.</exception>
    /// <exception cref="PolicyDocumentException">The input is not YAML, or holds no Canary.</exception>
    public static ImportResult FromFlagger(string text, string origin, PolicyImportOptions? options = null) =>
        FlaggerImporter.Import(Check(text, origin), origin, Validate(options));

    /// <summary>Imports a Kayenta canary config (JSON, as Kayenta's <c>/canaryConfig</c> API and Spinnaker's UI keep it).</summary>
    /// <param name="text">The canary config.</param>
    /// <param name="origin">What findings call the input (e.g. its file name).</param>
    /// <param name="options">The policy's name and selectors, when the input does not give them; null for the defaults.</param>
    /// <returns>The policy document and the findings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="origin"/> is null.</exception>
    /// <exception cref="ArgumentException">A selector in <paramref name="options"/> is not a label selector.</exception>
    /// <exception cref="PolicyDocumentException">The input is not JSON, or is not a canary config (no <c>metrics</c>).</exception>
    public static ImportResult FromKayenta(string text, string origin, PolicyImportOptions? options = null) =>
        KayentaImporter.Import(Check(text, origin), origin, Validate(options));

    private static string Check(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        return text;
    }

    private static PolicyImportOptions Validate(PolicyImportOptions? options)
    {
        options ??= new PolicyImportOptions();
        foreach (var (selector, name) in new[] { (options.Canary, nameof(options.Canary)), (options.Baseline, nameof(options.Baseline)) })
        {
            if (selector is not null && (!LabelSelector.TryParse(selector, out var parsed) || parsed.Matchers.Count == 0))
            {
                throw new ArgumentException($"PolicyImportOptions.{name} '{selector}' is not a label selector such as version=\"canary\".", nameof(options));
            }
        }

        if (options.Name is { Length: 0 })
        {
            throw new ArgumentException("PolicyImportOptions.Name is empty.", nameof(options));
        }

        return options;
    }
}
