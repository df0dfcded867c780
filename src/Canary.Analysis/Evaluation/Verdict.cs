namespace Canary.Analysis.Evaluation;

/// <summary>The outcome of a check.</summary>
public enum Verdict
{
    /// <summary>The evidence meets the criteria.</summary>
    Pass,

    /// <summary>The evidence breaks the criteria.</summary>
    Fail,

    /// <summary>There is not enough evidence either way (no data, too few requests, invalid values). Never a pass.</summary>
    Inconclusive,
}
