using System.Globalization;
using System.Text;
using Canary.Analysis.Internal;

namespace Canary.Analysis.Configuration.Imports.Internal;

/// <summary>
/// Writes a <see cref="PolicyDraft"/> as a policy document (YAML, in the shape of <c>samples/policies/checkout.yaml</c>), the
/// findings as comments at its top, then loads and builds what it wrote: an import never hands out a document that does not load.
/// </summary>
internal static class PolicyDraftWriter
{
    private static readonly TimeSpan MaximumLength = TimeSpan.FromDays(365);

    public static ImportResult Finish(PolicyDraft draft, FindingCollector findings, string from)
    {
        if (draft.Steps.Count == 0)
        {
            findings.Source = "";
            findings.Warning("", "the source has no step to import: the policy pauses for a human");
            draft.Steps.Add(new PauseDraft(null));
        }

        if (draft.Canary is null)
        {
            findings.Source = "";
            findings.Warning("", "nothing in the source selects the canary: its selector is a placeholder, version=\"canary\" (set PolicyImportOptions.Canary)");
            draft.Canary = "version=\"canary\"";
        }

        for (var i = 0; i < draft.Steps.Count; i++)
        {
            if (draft.Steps[i] is AnalysisDraft analysis && analysis.Count > MaximumLength.Ticks / analysis.Interval.Ticks)
            {
                var count = (int)Math.Max(1, MaximumLength.Ticks / analysis.Interval.Ticks);
                findings.Source = "";
                findings.Warning("", FormattableString.Invariant($"the analysis '{analysis.Name}' would last longer than {PrometheusDuration.Format(MaximumLength)}: it looks {count} time(s)"));
                draft.Steps[i] = analysis with { Count = count, FailureLimit = Math.Min(analysis.FailureLimit, count - 1) };
            }
        }

        var text = Write(draft, findings.Items, $"{findings.Origin} ({from})");
        PolicyDocument policy;
        try
        {
            policy = PolicyDocument.Parse(text, $"{findings.Origin} (imported)", PolicyDocumentFormat.Yaml);
            _ = policy.Build(Configuration.Internal.NoTrafficSource.Instance);
        }
        catch (Exception e) when (e is PolicyDocumentException or ArgumentException)
        {
            throw new InvalidOperationException($"The import of {findings.Origin} wrote a document that does not load (a bug of the importer): {e.Message}{Environment.NewLine}{text}", e);
        }

        return new ImportResult(text, policy, findings.Items.ToList());
    }

    private static string Write(PolicyDraft draft, List<ImportFinding> findings, string from)
    {
        var yaml = new StringBuilder();
        void Line(string line) => yaml.Append(line).Append('\n');

        Line(string.Create(CultureInfo.InvariantCulture, $"# Imported from {from} by Canary.Analysis: {findings.Count} finding(s){(findings.Count == 0 ? "." : ":")}"));
        foreach (var finding in findings)
        {
            Line(OneLine($"#   {finding.Severity.ToString().ToLowerInvariant()}: {finding.Source}{(finding.Path.Length == 0 ? "" : $" {finding.Path}")}: {finding.Message}"));
        }

        Line($"apiVersion: {PolicyDocument.ApiVersion}");
        Line("kind: CanaryPolicy");
        Line("metadata:");
        Line($"  name: {Quote(draft.Name)}");
        if (draft.Address is not null || draft.Convention is not null)
        {
            Line("source:");
            if (draft.Address is not null)
            {
                Line("  prometheus:");
                Line($"    address: {Quote(draft.Address)}");
                if (draft.Timeout is not null)
                {
                    Line($"    timeout: {draft.Timeout}");
                }

                if (draft.TenantId is not null)
                {
                    Line($"    tenantId: {Quote(draft.TenantId)}");
                }
            }

            if (draft.Convention is not null)
            {
                Line($"  convention: {draft.Convention.Name}");
            }
        }

        Line($"canary: {Quote(draft.Canary!)}");
        if (draft.Baseline is not null)
        {
            Line($"baseline: {Quote(draft.Baseline)}");
        }

        if (draft.Replicas is { } replicas)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"replicas: {replicas}"));
        }

        if (draft.Checks.Count > 0)
        {
            Line("checks:");
            foreach (var check in draft.Checks)
            {
                Line($"  {check.Name}:");
                Line($"    kind: {check.Kind}");
                foreach (var (key, value) in check.Fields)
                {
                    Line($"    {key}: {value}");
                }
            }
        }

        Line("steps:");
        foreach (var step in draft.Steps)
        {
            Line($"  - {Step(step)}");
        }

        return yaml.ToString();
    }

    private static string Step(StepDraft step) => step switch
    {
        SetWeightDraft weight => string.Create(CultureInfo.InvariantCulture, $"setWeight: {weight.Weight}"),
        PauseDraft { Duration: { } duration } => $"pause: {{ duration: {PrometheusDuration.Format(duration)} }}",
        PauseDraft => "pause: {}",
        AnalysisDraft analysis => Analysis(analysis),
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    private static string Analysis(AnalysisDraft analysis)
    {
        var fields = new List<string>
        {
            $"name: {Quote(analysis.Name)}",
            $"interval: {PrometheusDuration.Format(analysis.Interval)}",
            $"duration: {PrometheusDuration.Format(analysis.Interval * analysis.Count)}",
            $"checks: [{string.Join(", ", analysis.Checks)}]",
        };
        if (analysis.InitialDelay is { } delay)
        {
            fields.Add($"initialDelay: {PrometheusDuration.Format(delay)}");
        }

        if (analysis.FailureLimit > 0)
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"failureLimit: {analysis.FailureLimit}"));
        }

        if (analysis.ConsecutiveErrorLimit is { } errors)
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"consecutiveErrorLimit: {errors}"));
        }

        return $"analysis: {{ {string.Join(", ", fields)} }}";
    }

    /// <summary>A single-quoted YAML scalar on one line (a quote is written twice).</summary>
    public static string Quote(string text) => $"'{OneLine(text).Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>The text with line breaks, other control characters and lone surrogates (which YAML cannot hold) as spaces.</summary>
    private static string OneLine(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < source.Length && char.IsLowSurrogate(source[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(source[i - 1]));
            span[i] = char.IsControl(c) || !paired ? ' ' : c;
        }
    });
}
