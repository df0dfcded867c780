namespace Canary.Analysis.Configuration.Imports;

/// <summary>
/// What an import produced: the policy document's text (YAML, <c>apiVersion: canary-analysis/v1</c>), the document loaded
/// from that text, and a finding for everything not carried over as it was.
/// </summary>
public sealed class ImportResult
{
    internal ImportResult(string document, PolicyDocument policy, IReadOnlyList<ImportFinding> findings)
    {
        Document = document;
        Policy = policy;
        Findings = findings;
    }

    /// <summary>Gets the policy document's text: YAML to review, edit and keep (the findings are repeated in comments at its top).</summary>
    public string Document { get; }

    /// <summary>Gets the document, loaded from <see cref="Document"/> (every imported document loads and builds).</summary>
    public PolicyDocument Policy { get; }

    /// <summary>Gets the findings, in source order: everything not supported, mapped approximately, or passing on missing data in the source.</summary>
    public IReadOnlyList<ImportFinding> Findings { get; }

    /// <summary>Gets a value indicating whether any finding is an <see cref="ImportSeverity.Error"/>.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == ImportSeverity.Error);
}
