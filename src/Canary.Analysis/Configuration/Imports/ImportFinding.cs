namespace Canary.Analysis.Configuration.Imports;

/// <summary>One thing an import did not carry over as it was, or found wrong in the source: where it is and what happened.</summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Origin">The file (or the origin given to the importer) the source came from.</param>
/// <param name="Source">The object in the source, <c>Kind/name</c> (<c>AnalysisTemplate/success-rate</c>, <c>Canary/podinfo</c>, <c>CanaryConfig/checkout</c>).</param>
/// <param name="Path">The field's path in that object, e.g. <c>spec.metrics[1].provider.prometheus.query</c>; empty for the whole object.</param>
/// <param name="Message">What the import did and why, and where it helps, what to do.</param>
public sealed record ImportFinding(ImportSeverity Severity, string Origin, string Source, string Path, string Message)
{
    /// <summary>Returns the finding as one line: <c>rollout.yaml: AnalysisTemplate/success-rate spec.metrics[0].successCondition: Error: …</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Origin}: {Source}{(Path.Length == 0 ? "" : $" {Path}")}: {Severity}: {Message}";
}
