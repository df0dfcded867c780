namespace Canary.Analysis.Evaluation;

/// <summary>What a check's statistical evidence is (<see cref="CheckResult.EvidenceValue"/> against <see cref="CheckResult.EvidenceBoundary"/>).</summary>
public enum EvidenceKind
{
    /// <summary>The check states no statistical evidence (a plain threshold, a score).</summary>
    None,

    /// <summary>An e-value: evidence of a regression grows with it; the check fails when it reaches its boundary (1/α).</summary>
    EValue,

    /// <summary>A p-value: evidence of a regression grows as it falls; the check fails when it is at or below its boundary (α).</summary>
    PValue,
}
